from django import template

from initiatives.share_cards import card_for

register = template.Library()


@register.simple_tag(takes_context=True)
def share_card(context, subject):
    """{% share_card finder as card %}: the card's address and alt text, for link previews."""
    return card_for(subject, context["request"])
