"""English."""

from . import Language, Lines

TEXTS = Language(
    code="en",
    customer_greeting="Hello,",
    customer_sign_off="Best regards,",
    agent_greeting="Hi {first},",
    agent_greeting_anonymous="Hi,",
    chat_greeting="Hi {first}!",
    chat_greeting_anonymous="Hi!",
    agent_sign_off="Kind regards,",
    signature="Vinterly Customer Service",
    reply_prefix="Re: ",
    voicemail="Voicemail from {phone}:",
    currency="NOK {amount}",
    thousands=",",
    hold_reply=(
        "Thanks for your patience. I've passed this on to our specialist team and will get "
        "back to you as soon as I know more."
    ),
    hold_note="On hold – waiting for the specialist team or the supplier.",
    supervisor_note="Important customer – please prioritise and keep me posted.",
    again=(
        "I'm writing again about the same issue – unfortunately it isn't resolved after all. "
        "Could you take another look?"
    ),
    again_reply=(
        "Thanks for letting us know, and sorry it wasn't resolved the first time. I've looked at "
        "the case again and sorted it out now. Let me know if anything still isn't right."
    ),
    thanks=("Thanks a lot for your help!", "Brilliant, thank you!"),
    scenarios={
        "invoice_wrong": Lines(
            subjects=("Wrong amount on invoice {invoice}", "Invoice doesn't add up"),
            openings=(
                "I received invoice {invoice} for {amount}, but it doesn't match what I "
                "ordered. I only have one subscription, yet I've been billed for two. Could "
                "you look into it and send a corrected invoice?",
                "This month's invoice is higher than agreed. We have a discount agreement "
                "that doesn't seem to have been applied. The invoice number is {invoice}. "
                "It's due in a few days, so I'd appreciate a quick answer.",
            ),
            ask=(
                "Thanks for getting in touch. I'm looking at the invoice now. Could you "
                "confirm which email address the subscription is registered to, and send a "
                "screenshot of the order confirmation? That will help me find out quickly "
                "what went wrong."
            ),
            follow_up=(
                "The subscription is registered to this address. I've attached the order "
                "confirmation. Do you need anything else?"
            ),
            solve=(
                "I've looked into it and you're absolutely right – the invoice was wrong. "
                "I've credited invoice {invoice} and sent you a new, corrected one. Please "
                "disregard the old invoice. Sorry for the trouble!"
            ),
            note=(
                "Double billing caused by the subscription being created twice when the "
                "customer changed payment card. Credit note sent."
            ),
        ),
        "double_charge": Lines(
            subjects=("Charged twice for order {order}", "Double charge on my card"),
            openings=(
                "I can see I've been charged {amount} twice on my card for order {order}. I "
                "only placed one order. Could you refund one of the payments?",
                "The payment page froze when I was paying, so I tried again. Now the amount "
                "has been taken from my account twice. The order number is {order}.",
            ),
            ask=(
                "I'm sorry to hear that! So far I can only find one payment in our system. "
                "Could you send us a screenshot from your online bank showing both charges "
                "with date and amount?"
            ),
            follow_up=(
                "Here's the screenshot from my online bank. Both charges are from the same "
                "day, a few minutes apart."
            ),
            solve=(
                "Thank you! I've confirmed the double charge and started a refund of "
                "{amount}. The money should be back in your account within 3–5 business "
                "days, depending on your bank."
            ),
            note=(
                "Payment provider confirms two authorisations on the same order. Refund "
                "registered manually."
            ),
        ),
        "cancel_subscription": Lines(
            subjects=("Cancel my subscription", "Cancellation of Vinterly Plus"),
            openings=(
                "I'd like to cancel my Vinterly Plus subscription from next month. Could you "
                "confirm the cancellation and tell me when the last payment will be taken?",
                "We're moving abroad and no longer need the subscription. How do I cancel "
                "it? I can't find a button for it under My page.",
            ),
            ask=(
                "Sorry to hear you want to leave! Before I cancel: would you rather pause "
                "the subscription for up to three months? Let me know if you still want to "
                "cancel and I'll sort it out."
            ),
            follow_up="Thanks for the offer, but I'd like to cancel it completely.",
            solve=(
                "Your subscription has now been cancelled. You keep the benefits until the "
                "end of the current period, and there will be no further charges. You'll get "
                "a confirmation by email. Thank you for being a customer!"
            ),
            note="Offered a pause; the customer wanted to cancel. No commitment period left.",
        ),
        "delivery_late": Lines(
            subjects=("Where is my parcel? Order {order}", "Late delivery"),
            openings=(
                "I ordered the {product} more than a week ago (order {order}), and the "
                "tracking hasn't updated in four days. When can I expect the parcel?",
                "The parcel should have been delivered yesterday, but it hasn't arrived. I "
                "need it before the weekend. Could you check what's happening with order "
                "{order}?",
            ),
            ask=(
                "Sorry about the delay! I can see the parcel is registered with the carrier. "
                "Could you confirm your delivery address so I can open a trace?"
            ),
            follow_up=(
                "The address is correct and my name is on the letterbox. I haven't received "
                "any collection notice."
            ),
            solve=(
                "I've been in touch with the carrier. The parcel was missorted at the "
                "terminal but is now on its way and will be delivered tomorrow. As an "
                "apology, I've refunded the shipping cost."
            ),
            note=(
                "Trace opened with the carrier, ref. ETL-{order}. Shipping refunded as "
                "compensation."
            ),
        ),
        "return_product": Lines(
            subjects=("Returning the {product}", "I'd like to return an item"),
            openings=(
                "I'd like to return the {product} from order {order}. Unfortunately it "
                "wasn't what I needed. How do I go about it?",
                "I got the {product} as a gift but already have one. Can I exchange it for "
                "something else or get store credit?",
            ),
            ask=(
                "Of course! Items can be returned within 30 days. Is the product unopened, "
                "and do you still have the original packaging? Then I'll send you a return "
                "label."
            ),
            follow_up="Yes, it's unopened and still in the original box.",
            solve=(
                "Great! I've emailed you a prepaid return label. Drop the parcel off at your "
                "nearest post office or parcel locker. You'll be refunded within five "
                "business days of us receiving the return."
            ),
            note="Return approved, unopened item. Return label generated.",
        ),
        "damaged_goods": Lines(
            subjects=("Item arrived broken", "Damaged parcel – order {order}"),
            openings=(
                "When I opened the parcel today, the {product} was smashed. The box had "
                "clearly been damaged in transit. I've taken photos. What should I do?",
                "The {product} from order {order} doesn't work. There's a crack in the "
                "casing and something rattles inside. I'd like a replacement.",
            ),
            ask=(
                "I'm really sorry about that! Could you send us photos of the damage and the "
                "packaging? Please keep the box until the case is closed."
            ),
            follow_up="I've attached three photos of the damage and the box.",
            solve=(
                "Thanks for the photos. We're sending you a new {product} free of charge, and "
                "it ships today. You don't need to return the broken one – it can go to "
                "recycling."
            ),
            note=(
                "Transport damage documented with photos. Claim filed with the carrier. "
                "Replacement shipped from the Oslo warehouse."
            ),
        ),
        "change_address": Lines(
            subjects=("Change delivery address for order {order}", "Wrong address on my order"),
            openings=(
                "I've noticed I entered the wrong address on order {order}. The correct "
                "address is Thorvald Meyers gate 40, 0555 Oslo. Can you change it before the "
                "parcel ships?",
                "I'm moving next week. Could you change the delivery address on my order to "
                "Rosenborggata 7, 0356 Oslo?",
            ),
            ask=(
                "We can do that! Could you confirm the postcode and whether it's a flat with "
                "your name on the doorbell?"
            ),
            follow_up="The postcode is right, and my name is on the doorbell.",
            solve=(
                "The delivery address has been updated, and the parcel will go to your new "
                "address. You'll get a tracking number by text message once it has shipped."
            ),
            note="Address changed in the order system before picking. Warehouse notified.",
        ),
        "password_reset": Lines(
            subjects=("Can't log in", "Password reset"),
            openings=(
                "I've forgotten my password, and the reset email never arrives. I've checked "
                "my spam folder too.",
                "My account is locked after too many login attempts. How do I get access again?",
            ),
            ask=(
                "Sorry for the hassle! Which email address do you use to log in? Sometimes "
                "the account is registered to an old address."
            ),
            follow_up="It might be my work address. Could you check that one as well?",
            solve=(
                "I've unlocked your account and sent you a new password reset link. It's "
                "valid for one hour. Let me know if it doesn't show up in your inbox."
            ),
            note=(
                "Account locked after 10 failed attempts. Unlocked manually. The reset email "
                "was blocked by the customer's spam filter."
            ),
        ),
        "app_crash": Lines(
            subjects=("App crashes on start-up", "The Vinterly app keeps closing"),
            openings=(
                "Since the latest update the app crashes every time I open it. I've tried "
                "restarting my phone and reinstalling the app, with no luck. App version "
                "{version}.",
                "The app closes whenever I try to view my order history. It happens every "
                "time. I'm on an iPhone 13 with the latest iOS.",
            ),
            ask=(
                "Thanks for letting us know! Could you tell me which phone model and "
                "operating system version you're using, and roughly when the problem started?"
            ),
            follow_up=(
                "I'm using a Samsung Galaxy S22 with Android 14. It started right after last "
                "week's update."
            ),
            solve=(
                "We've found the bug and fixed it in app version {version_fix}, which is now "
                "available in the App Store and Google Play. Please update the app and "
                "everything should work again. Thanks for helping us track it down!"
            ),
            note=(
                "Known bug in {version} on Android 14, tracked in APP-{bug}. "
                "Fix ships in {version_fix}."
            ),
        ),
        "business_account": Lines(
            subjects=("Business account for {org}", "More users on our business account"),
            openings=(
                "We at {org} would like to consolidate our purchases on one business account "
                "with invoicing. We're about 40 employees. What can you offer?",
                "We need to add five new users to our business account and would like to "
                "receive invoices electronically via Peppol. How do we set that up?",
            ),
            ask=(
                "Great to hear! To set up the agreement I need your company registration "
                "number, billing address and a contact person for purchasing. Could you send "
                "me those?"
            ),
            follow_up=(
                "Our registration number is 923 456 781 and invoices can go via Peppol. I'm "
                "the contact person."
            ),
            solve=(
                "Your business account is now set up with Peppol invoicing and 30-day payment "
                "terms. You have a dedicated contact person with us, and new users can be "
                "added under Business on My page."
            ),
            note="New business agreement, standard B2B discount 8%. Credit check OK.",
        ),
    },
)
