from prapp.navigation import entries_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_apps": []}
    match = getattr(request, "resolver_match", None)
    namespace = getattr(match, "namespace", "")
    if getattr(match, "url_name", "") == "dashboard":
        namespace = ""  # the home page is no app's page, reports' own included
    return {"nav_apps": entries_for(user), "nav_current": namespace}
