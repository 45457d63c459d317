"""The search page: one box, results from every kind grouped and ranked, words highlighted."""

from django.shortcuts import render

from cases.core.cache import cache_params

from .documents import choices, label_of
from .engine import PER_KIND, Results, search
from .forms import SearchForm
from .query import ParsedQuery

SUGGESTIONS = ["minimum wage", "cadmium", "collective bargaining", '"solidarity machine"', "hukou"]


@cache_params("q", "kind", "page")
def search_page(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "kinds": choices(), "suggestions": SUGGESTIONS, "per_kind": PER_KIND}
    if not form.is_bound:
        return render(request, "search/search.html", context)
    if not form.is_valid():
        return render(request, "search/search.html", context, status=400)
    parsed = form.parsed
    if not parsed:
        context["results"] = Results(parsed=parsed)
        context["nothing_to_search"] = bool(form.cleaned_data["q"])
        return render(request, "search/search.html", context)
    kind = form.cleaned_data["kind"]
    results = search(parsed, kind=kind, page=form.page_number(request.GET.get("page")))
    context["results"] = results
    context["kind_label"] = label_of(kind) if kind else ""
    if results.total == 0:
        context["looser"] = looser_searches(results.corrected or parsed)
    return render(request, "search/search.html", context)


def looser_searches(parsed):
    """Searches that ask less than one that found nothing: its Chinese words apart rather than side by side, each of
    its words or phrases alone (every one must match, so one rare word empties the results), and the same without
    the words it excluded."""
    looser = []
    apart = parsed.words_apart()
    if apart is not None:
        looser.append(apart.display())
    if len(parsed.clauses) > 1:
        looser += [ParsedQuery([clause]).display() for clause in parsed.clauses]
    if parsed.excluded:
        looser.append(ParsedQuery(list(parsed.clauses)).display())
    return list(dict.fromkeys(looser))
