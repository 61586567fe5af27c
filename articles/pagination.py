"""Pagination for news lists that never counts every published article.

Django's Paginator runs COUNT(*) over the whole list on every page view, which grows with the archive.
NewsPaginator counts at most COUNT_CAP rows (an unordered, limited subquery of primary keys). Below the
cap pages say "Page 2 of 3" as before; past it the page shows "Page 2" with newer/older links, each page
reading one row more than it shows to know whether an older page exists, and any page number can be asked
for (an empty page past the end is a 404, as before).
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

COUNT_CAP = 1000


class NewsPaginator(Paginator):
    count_cap = COUNT_CAP

    @cached_property
    def count(self):
        """The number of items, or count_cap + 1 when there are more than count_cap."""
        object_list = self.object_list
        if hasattr(object_list, "count_up_to"):
            return object_list.count_up_to(self.count_cap + 1)
        if hasattr(object_list, "values"):
            return object_list.order_by().values("pk")[: self.count_cap + 1].count()
        return min(len(object_list), self.count_cap + 1)

    @property
    def is_capped(self):
        """True when there are more items than were counted: the number of pages is unknown."""
        return self.count > self.count_cap

    @cached_property
    def num_pages(self):
        return None if self.is_capped else super().num_pages

    @property
    def page_range(self):
        return range(1, (self.num_pages or 0) + 1)

    def validate_number(self, number):
        if not self.is_capped:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number):
        if not self.is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)


class CappedPage(Page):
    """A page of a list too long to count: it knows whether an older page exists, not how many."""

    def __init__(self, object_list, number, paginator, *, has_more):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self):
        return self.has_more

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)
