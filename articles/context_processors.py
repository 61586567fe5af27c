from articles.breaking import current_breaking_news
from articles.chrome import site_chrome


def publication(request):
    chrome = site_chrome()
    return {
        "publication": chrome["publication"],
        "nav_sections": chrome["sections"],
        "footer_pages": chrome["footer_pages"],
    }


def breaking_news(request):
    """The breaking-news banner, looked up (from the cache) only by templates that show it."""
    return {"breaking_news": current_breaking_news}
