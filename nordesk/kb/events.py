"""What the knowledge base emits (core.events), inside the service's transaction:
`kb_article_published` (article_id) when an article becomes visible to its audience, and
`kb_article_deflected` (article_id, language, customer_id) when the portal reports that a
customer left with an article instead of sending the form. Nothing here listens yet."""

PUBLISHED = "kb_article_published"
DEFLECTED = "kb_article_deflected"
