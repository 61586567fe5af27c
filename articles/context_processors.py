from articles.chrome import site_chrome


def publication(request):
    chrome = site_chrome()
    return {
        "publication": chrome["publication"],
        "nav_sections": chrome["sections"],
        "footer_pages": chrome["footer_pages"],
    }
