"""How the apps depend on each other: comments hangs off articles, never the reverse; the WordPress importer
uses both and neither knows it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_the_articles_app_never_imports_the_comments_app():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "articles").rglob("*.py")
        for module in imported_modules(path)
        if module == "comments" or module.startswith("comments.")
    ]
    assert offenders == []


def test_no_view_is_called_from_another_module():
    """Views are reached through URLs; shared page content lives in functions (articles/article_page.py)."""
    offenders = [
        f"{path.relative_to(ROOT)}"
        for app in ["articles", "comments"]
        for path in (ROOT / app).rglob("*.py")
        if path.name != "urls.py"
        and any(module in {"articles.views", "comments.views"} for module in imported_modules(path))
    ]
    assert offenders == []


def test_the_content_apps_never_import_the_wordpress_importer():
    """The importer uses articles and comments; they work without it (it can be removed after a move)."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for app in ["articles", "comments"]
        for path in (ROOT / app).rglob("*.py")
        for module in imported_modules(path)
        if module == "wordpress" or module.startswith("wordpress.")
    ]
    assert offenders == []
