"""Authors, categories (sections), tags and publishers of a WordPress import: found or made, and remembered."""

from urllib.parse import unquote

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import events
from articles.models import Author, Publisher, Section, unique_slug
from wordpress import wxr
from wordpress.common import EMAIL_LIKE, ascii_slug
from wordpress.common import fingerprint as _fingerprint
from wordpress.models import ImportedItem

Kind = ImportedItem.Kind


class TaxonomyImport:
    """The Importer's part for the channel's authors, categories and tags, and the publishers of posts."""

    def _write_taxonomy(self):
        if self.taxonomy_written:
            return
        self.taxonomy_written = True
        entries, self.terms = self.terms, []
        with transaction.atomic(), events.collected(events.TAXONOMY_CHANGED):
            authors = [entry for entry in entries if isinstance(entry, wxr.Author)]
            categories = [entry for entry in entries if isinstance(entry, wxr.Term) and entry.taxonomy == "category"]
            tags = [entry for entry in entries if isinstance(entry, wxr.Term) and entry.taxonomy == "post_tag"]
            for entry in entries:
                if isinstance(entry, wxr.Term) and entry.taxonomy not in {"category", "post_tag"}:
                    self.report.add(
                        "other", "skipped", f"a term of the {entry.taxonomy or 'unnamed'} taxonomy", entry.wp_id
                    )
            self._write_authors(authors)
            self._write_categories(categories)
            self._write_tags(tags)

    def _author_name(self, entry):
        for candidate in (entry.display_name, f"{entry.first_name} {entry.last_name}", entry.login):
            candidate = " ".join(candidate.split())
            if candidate and not EMAIL_LIKE.search(candidate):
                return candidate[:120]
        return _("Author %(number)s") % {"number": entry.wp_id or len(self.authors) + 1}

    def _author_slug(self, entry, name):
        login = "" if EMAIL_LIKE.search(entry.login) else entry.login
        return ascii_slug(login, 120) or ascii_slug(name, 120) or f"author-{entry.wp_id or len(self.authors) + 1}"

    def _write_authors(self, entries):
        records = self._records(Kind.AUTHOR, [entry.wp_id for entry in entries if entry.wp_id is not None])
        by_login = {}
        for record in ImportedItem.objects.filter(source=self.source, kind=Kind.AUTHOR).select_related("author"):
            if record.author is not None and record.details.get("login"):
                by_login[record.details["login"]] = record
        save, redirects = [], []
        for entry in entries:
            if not entry.login:
                self.report.add("author", "failed", "no login", entry.wp_id)
                continue
            name = self._author_name(entry)
            if name != " ".join(entry.display_name.split()) and EMAIL_LIKE.search(entry.display_name):
                self.report.note("privacy", "author display names that were email addresses, not published")
            record = records.get(entry.wp_id) if entry.wp_id is not None else None
            record = record or by_login.get(entry.login)
            author = self._author(entry, name, record)
            self.authors[entry.login] = author
            record = record or ImportedItem(source=self.source, kind=Kind.AUTHOR, wp_id=entry.wp_id or 0)
            record.author, record.details = author, {"login": entry.login}
            if entry.wp_id is not None:
                record.wp_id = entry.wp_id
                save.append(record)
                redirects.append((f"{self.blog_prefix}/?author={entry.wp_id}", {"author": author}))
            if not EMAIL_LIKE.search(entry.login):
                nicename = slugify(entry.login)
                if nicename and nicename != author.slug:
                    redirects.append((f"{self.blog_prefix}/author/{nicename}/", {"author": author}))
                if nicename:
                    redirects.append(
                        (f"{self.blog_prefix}/author/{nicename}/feed/", {"author": author, "is_feed": True})
                    )
        self._save_records(save)
        self._redirects(redirects)

    def _author(self, entry, name, record):
        if record is not None and record.author is not None:
            author = record.author
            if author.name == name or record.fingerprint == _fingerprint(author.name):
                self.report.add("author", "unchanged")
            else:
                self.report.add("author", "unchanged", "renamed in Newsroom since: kept", entry.wp_id)
            return author
        slug = self._author_slug(entry, name)
        author = Author.objects.filter(slug=slug, name=name).first()
        if author is not None:
            self.report.add("author", "unchanged", "already in Newsroom (same name and slug)", entry.wp_id)
            return author
        author = Author.objects.create(name=name, slug=unique_slug(Author, slug, max_length=120))
        self.report.add("author", "imported")
        return author

    def _author_for_login(self, login):
        """The Author of a post's dc:creator; one the channel did not declare is made from the login."""
        login = (login or "").strip()
        if not login:
            return None
        author = self.authors.get(login)
        if author is None:
            entry = wxr.Author(None, login, "", "", "", "", 0)
            name = self._author_name(entry)
            slug = self._author_slug(entry, name)
            author = Author.objects.filter(slug=slug).first()
            if author is None:
                author = Author.objects.create(name=name, slug=unique_slug(Author, slug, max_length=120))
                self.report.add("author", "imported", "named by a post but not declared in the export")
            self.authors[login] = author
        return author

    def _section_name(self, name, slug, parent_name):
        name = " ".join(name.split())[:80] or slug
        if not Section.objects.filter(name=name).exclude(slug=slug).exists():
            return name
        for candidate in (f"{name} ({parent_name})" if parent_name else "", f"{name} ({slug})"):
            candidate = candidate[:80]
            if candidate and not Section.objects.filter(name=candidate).exclude(slug=slug).exists():
                return candidate
        return unique_slug(Section, name, max_length=80)

    def _write_categories(self, entries):
        records = self._records(Kind.CATEGORY, [entry.wp_id for entry in entries if entry.wp_id is not None])
        names = {unquote(entry.slug).lower(): entry.name for entry in entries}
        parents = {unquote(entry.slug).lower(): unquote(entry.parent_slug).lower() for entry in entries}
        position = (Section.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        save, redirects = [], []
        for entry in entries:
            key = unquote(entry.slug).lower()
            if not key:
                self.report.add("category", "failed", "no slug", entry.wp_id)
                continue
            record = records.get(entry.wp_id) if entry.wp_id is not None else None
            section = record.section if record is not None else None
            if section is not None:
                self.report.add("category", "unchanged")
            else:
                section, created = self._section(
                    key, entry.name, entry.description, names.get(parents.get(key)), position
                )
                position += 1
                self.report.add(
                    "category",
                    "imported" if created else "unchanged",
                    "" if created else "already a section with this slug",
                    entry.wp_id,
                )
            self.sections[key] = section
            if entry.wp_id is not None:
                record = record or ImportedItem(source=self.source, kind=Kind.CATEGORY, wp_id=entry.wp_id)
                record.section = section
                save.append(record)
                redirects.append((f"{self.blog_prefix}/?cat={entry.wp_id}", {"section": section}))
            chain, seen = [key], {key}
            while parents.get(chain[0]) and parents[chain[0]] not in seen:
                seen.add(parents[chain[0]])
                chain.insert(0, parents[chain[0]])
            for path in {"/".join(chain), key}:
                redirects.append((f"{self.blog_prefix}/category/{path}/", {"section": section}))
                redirects.append((f"{self.blog_prefix}/category/{path}/feed/", {"section": section, "is_feed": True}))
        self._save_records(save)
        self._redirects(redirects)

    def _section(self, key, name, description, parent_name, position):
        slug = ascii_slug(key, 80) or ascii_slug(name, 80) or unique_slug(Section, "category", max_length=80)
        section = Section.objects.filter(slug=slug).first()
        if section is not None:
            return section, False
        section = Section.objects.create(
            name=self._section_name(name or key, slug, parent_name),
            slug=slug,
            description=strip_tags(description or "")[:2000],
            position=min(position, 32767),
        )
        return section, True

    def _section_for(self, term):
        key = unquote(term.slug).lower() or ascii_slug(term.name)
        section = self.sections.get(key)
        if section is None:
            section, created = self._section(key, term.name, "", "", 1000)
            self.sections[key] = section
            if created:
                self.report.add("category", "imported", "named by a post but not declared in the export")
            self._redirects([(f"{self.blog_prefix}/category/{key}/", {"section": section})])
        return section

    def _tag(self, slug, name):
        """The tag a WordPress tag (or a secondary category) becomes; made with a slug reader URLs can carry."""
        name = " ".join((name or unquote(slug)).split())[:100]
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is not None:
            return tag, False
        base = ascii_slug(slug, 90) or ascii_slug(name, 90) or "tag"
        tag = Tag.objects.create(name=name, slug=unique_slug(Tag, base, max_length=100))
        return tag, True

    def _write_tags(self, entries):
        records = self._records(Kind.TAG, [entry.wp_id for entry in entries if entry.wp_id is not None])
        save, redirects = [], []
        for entry in entries:
            key = unquote(entry.slug).lower()
            if not key and not entry.name:
                self.report.add("tag", "failed", "no name", entry.wp_id)
                continue
            record = records.get(entry.wp_id) if entry.wp_id is not None else None
            tag = record.tag if record is not None else None
            if tag is not None:
                self.report.add("tag", "unchanged")
            else:
                tag, created = self._tag(entry.slug, entry.name)
                self.report.add(
                    "tag",
                    "imported" if created else "unchanged",
                    "" if created else "already a tag of this name",
                    entry.wp_id,
                )
            self.tags[key] = tag
            if entry.wp_id is not None:
                record = record or ImportedItem(source=self.source, kind=Kind.TAG, wp_id=entry.wp_id)
                record.tag = tag
                save.append(record)
            if key:
                redirects.append((f"{self.blog_prefix}/tag/{key}/", {"tag": tag}))
                redirects.append((f"{self.blog_prefix}/tag/{key}/feed/", {"tag": tag, "is_feed": True}))
                redirects.append((f"{self.blog_prefix}/?tag={key}", {"tag": tag}))
        self._save_records(save)
        self._redirects(redirects)

    def _tag_for(self, term):
        key = unquote(term.slug).lower() or term.name.lower()
        tag = self.tags.get(key)
        if tag is None:
            tag, created = self._tag(term.slug, term.name)
            self.tags[key] = tag
            if created:
                self.report.add("tag", "imported", "named by a post but not declared in the export")
        return tag

    def _publisher(self, name):
        key = name.strip().lower()
        publisher = self.publishers.get(key)
        if publisher is None:
            slug = ascii_slug(name, 120) or "publisher"
            publisher = (
                Publisher.objects.filter(name__iexact=name).first() or Publisher.objects.filter(slug=slug).first()
            )
            if publisher is None:
                publisher = Publisher.objects.create(name=name[:120], slug=unique_slug(Publisher, slug, max_length=120))
                self.report.add("publisher", "imported")
            self.publishers[key] = publisher
        return publisher
