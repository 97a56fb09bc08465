from django.http import Http404


def not_built_yet(request, **kwargs):  # replaced by each area's module as it is built
    raise Http404("Not built yet.")
