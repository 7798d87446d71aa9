"""What accounts listens to."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nordesk.core.config_cache import config_changed

from .models import AgentSkill, Skill, Team
from .selectors import AGENT_SKILLS, TEAMS_ROUTING


@receiver([post_save, post_delete], sender=Team)
def on_team_changed(**_kwargs) -> None:
    """A team's assignment settings are seen by the next ticket."""
    config_changed(TEAMS_ROUTING)


@receiver([post_save, post_delete], sender=AgentSkill)
@receiver([post_save, post_delete], sender=Skill)
def on_skill_changed(**_kwargs) -> None:
    """Assignment reads agents' skills through the cache: a new level counts at once."""
    config_changed(AGENT_SKILLS)
