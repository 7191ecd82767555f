"""Template filters that replace Django's |upper and |capfirst project-wide.

Loaded as a template builtin after Django's own, so these win. Django's versions
call ``str.upper()``, which turns Georgian Mkhedruli into Mtavruli capitals.
"""

from django import template
from django.template.defaultfilters import stringfilter

from prapp.text import safe_capfirst, safe_upper

register = template.Library()


@register.filter(is_safe=True, name="capfirst")
@stringfilter
def capfirst(value):
    return safe_capfirst(value)


@register.filter(is_safe=False, name="upper")
@stringfilter
def upper(value):
    return safe_upper(value)
