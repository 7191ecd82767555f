from prapp.navigation import entries_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_apps": []}
    namespace = getattr(getattr(request, "resolver_match", None), "namespace", "")
    return {"nav_apps": entries_for(user), "nav_current": namespace}
