"""Querysets built and compiled to SQL once per process, then run with each request's values.

Django builds a queryset and compiles it to SQL every time one is evaluated. For the reader pages' list
and article queries that Python work (filters, annotations, subqueries, compiling) costs more than the
database takes to answer, and it is the same work on every request: only a few values change (the
time, a section's id, a slug). A CompiledQuery builds its queryset once per shape with stand-in values,
finds where they land among the compiled SQL's parameters, and from then on runs that SQL with the real
values through Django's own iterables, so model instances (with select_related and annotations) and
values rows come out exactly as the queryset gives them.

    latest = CompiledQuery(lambda start, stop, now: Article.objects.published(now).latest_first()[start:stop])
    latest.evaluate(0, 20, now=timezone.now())

`build` takes the shape first (values that change the SQL itself, e.g. slice bounds: part of the key),
then the values as keywords (ints, strings, aware datetimes, or tuples of those: parameters). A build
must take every value that varies as an argument, never read the clock or anything else inside: it is
built twice with different stand-ins, and one whose SQL or other parameters differ between the two is
refused (ImproperlyConfigured), as is a value that does not reach the parameters as it was given.
"""

import copy
import threading
from collections import OrderedDict
from datetime import UTC, datetime

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.backends.signals import connection_created

# Plans kept per CompiledQuery (shapes × value types × databases); the least recently used goes first.
MAX_PLANS = 64


def _stand_in(kind, name_index, variant, item=0):
    """A value of `kind` that no real query carries, different for each (parameter, variant, item)."""
    serial = 1_000 * variant + 40 * name_index + item
    if kind is int:
        return 1_900_000_000 + serial  # within every integer column's range: no lookup treats it specially
    if kind is str:
        return f"compiled-query-stand-in-{serial}"
    if kind is datetime:
        return datetime(1901, 2, 3, 4, 5, 6, serial, tzinfo=UTC)
    raise TypeError(f"CompiledQuery values are ints, strings or aware datetimes, not {kind.__name__}")


def _kind(value):
    if isinstance(value, bool) or type(value) not in (int, str, datetime, tuple):
        raise TypeError(f"CompiledQuery values are ints, strings or aware datetimes, not {type(value).__name__}")
    if isinstance(value, tuple):
        return (tuple, tuple(_kind(item) for item in value))
    if isinstance(value, datetime) and value.tzinfo is None:
        raise TypeError("CompiledQuery datetimes must be aware")
    return type(value)


def _stand_ins(kinds, variant):
    values = {}
    for name_index, (name, kind) in enumerate(kinds):
        if isinstance(kind, tuple):
            values[name] = tuple(_stand_in(k, name_index, variant, item) for item, k in enumerate(kind[1]))
        else:
            values[name] = _stand_in(kind, name_index, variant)
    return values


def _adapt(value, connection):
    """`value` as Django's lookups hand it to the database driver."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _flat(values, connection):
    """{(name, item): adapted value} for every scalar of `values` (item None for a scalar)."""
    flat = {}
    for name, value in values.items():
        if isinstance(value, tuple):
            for item, element in enumerate(value):
                flat[name, item] = _adapt(element, connection)
        else:
            flat[name, None] = _adapt(value, connection)
    return flat


def _same(left, right):
    return type(left) is type(right) and left == right


class _Plan:
    __slots__ = ("compiler", "converters", "params", "queryset", "slots", "sql")

    def __init__(self, queryset, compiler, sql, params, slots):
        self.queryset, self.compiler, self.sql, self.params, self.slots = queryset, compiler, sql, params, slots
        self.converters = {}

    def kept_converters(self, get_converters):
        """The compiler's get_converters(), remembered: the columns are the plan's, the same on every call."""

        def converters(expressions):
            key = tuple(map(id, expressions))
            found = self.converters.get(key)
            if found is None:
                found = self.converters[key] = get_converters(expressions)
            return found

        return converters

    def params_for(self, flat_values):
        params = list(self.params)
        for index, slot in self.slots:
            params[index] = flat_values[slot]
        return params


class _QueryWithCompiler:
    """Stands in for the plan's Query in a call's queryset: Django's iterables get the call's compiler
    from it; everything else they read is the plan's Query."""

    def __init__(self, query, compiler):
        self._query, self._compiler = query, compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._query, name)


class _PreparingConnection:
    """The database connection as a compiled query's compiler sees it. On PostgreSQL its cursors bind
    parameters on the server, so psycopg prepares a statement once it has run a few times on a connection
    (prepare_threshold, newsroom.env.database_config) and PostgreSQL stops planning it anew on every
    request: a list page's query takes longer to plan than to run. Other queries keep Django's cursors,
    which bind parameters in Python and are never prepared."""

    def __init__(self, connection):
        self._connection = connection
        self.ops = _ServerBoundOperations(connection.ops)

    def cursor(self):
        from django.db.backends.postgresql.base import ServerBindingCursor

        cursor = self._connection.cursor()  # Django's wrapper: health checks, query log, execute wrappers
        cursor.cursor.close()
        cursor.cursor = ServerBindingCursor(self._connection.connection)
        cursor.db = self  # the query log (DEBUG, tests) reads the statement through self.ops
        return cursor

    def __getattr__(self, name):
        return getattr(self._connection, name)


class _ServerBoundOperations:
    """The connection's operations, except that a server-bound statement is logged with its values, as
    Django logs its own (Django would read it back from psycopg, which keeps none for a prepared one)."""

    def __init__(self, ops):
        self._ops = ops

    def last_executed_query(self, cursor, sql, params):
        from psycopg import errors

        try:
            return self._ops.compose_sql(sql, params)
        except errors.DataError:
            return None

    def __getattr__(self, name):
        return getattr(self._ops, name)


def _prepares_statements(connection):
    return connection.vendor == "postgresql" and bool(connection.settings_dict["OPTIONS"].get("prepare_threshold"))


def _use_generic_plans(sender, connection, **kwargs):
    """A prepared statement here is one whose plan does not depend on its values (else `prepared=False`), so
    PostgreSQL is told to use its generic plan at once: left to choose, it planned a tag page's rows with the
    values on every request (its estimate for a tag of a dozen articles beat the generic plan's, which walks
    the tag's index just as fast). Set when a connection opens, not as a startup option, which poolers refuse."""
    if _prepares_statements(connection):
        connection.connection.execute("SET plan_cache_mode = force_generic_plan")


connection_created.connect(_use_generic_plans, dispatch_uid="compiled-queries-generic-plans")


def _for_compiled_queries(connection):
    if _prepares_statements(connection):
        return _PreparingConnection(connection)
    return connection


class CompiledQuery:
    """`prepared=False` for a query whose best plan depends on its values (the articles of a tag that has five
    or five thousand): a prepared statement soon runs PostgreSQL's generic plan, made without the values,
    which may walk the date index past every article; unprepared, the query is planned with them each time."""

    def __init__(self, build, *, prepared=True):
        self.build, self.prepared = build, prepared
        self._plans = OrderedDict()
        self._lock = threading.Lock()

    def evaluate(self, *shape, **values):
        """list(build(*shape, **values)): model instances or values rows, as the queryset gives them."""
        plan, connection, db = self._plan(shape, values)
        if plan.sql is None:
            return []
        compiler = copy.copy(plan.compiler)
        compiler.connection = self._executing(connection)
        sql_and_params = (plan.sql, tuple(plan.params_for(_flat(values, connection))))
        compiler.as_sql = lambda *args, **kwargs: sql_and_params
        compiler.get_converters = plan.kept_converters(compiler.get_converters)
        queryset = object.__new__(type(plan.queryset))
        queryset.__dict__.update(plan.queryset.__dict__)
        queryset._db = db
        queryset._result_cache = None
        queryset._prefetch_done = False
        queryset._query = _QueryWithCompiler(plan.queryset.query, compiler)
        return list(queryset)

    def count(self, *shape, **values):
        """The number of rows build(*shape, **values) gives (slices included), in one query."""
        plan, connection, _ = self._plan(shape, values)
        if plan.sql is None:
            return 0
        sql = f"SELECT COUNT(*) FROM ({plan.sql}) counted"  # noqa: S608 (SQL compiled by Django)
        with self._executing(connection).cursor() as cursor:
            cursor.execute(sql, plan.params_for(_flat(values, connection)))
            return cursor.fetchone()[0]

    def _executing(self, connection):
        return _for_compiled_queries(connection) if self.prepared else connection

    def _plan(self, shape, values):
        kinds = tuple(sorted((name, _kind(value)) for name, value in values.items()))
        key = (shape, kinds)
        with self._lock:
            found = self._plans.get(key)
            if found is not None:
                self._plans.move_to_end(key)
        if found is None:
            found = self._compile(shape, kinds)
            with self._lock:
                self._plans[key] = found
                while len(self._plans) > MAX_PLANS:
                    self._plans.popitem(last=False)
        plan, db = found
        return plan, connections[db], db

    def _compile(self, shape, kinds):
        first, second = (self.build(*shape, **_stand_ins(kinds, variant)) for variant in (1, 2))
        db = first.db
        connection = connections[db]
        compiler = first.query.get_compiler(using=db)
        try:
            sql, params = compiler.as_sql()
            other_sql, other_params = second.query.get_compiler(using=db).as_sql()
        except EmptyResultSet:  # e.g. an empty slice: no query to run, whatever the values
            return _Plan(first, compiler, None, (), ()), db
        first_values = _flat(_stand_ins(kinds, 1), connection)
        second_values = _flat(_stand_ins(kinds, 2), connection)
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: its SQL changes with its values; pass what shapes it as shape"
            )
        slots, found = [], set()
        for index, (param, other) in enumerate(zip(params, other_params, strict=True)):
            slot = next((slot for slot, value in first_values.items() if _same(param, value)), None)
            if slot is not None and _same(other, second_values[slot]):
                slots.append((index, slot))
                found.add(slot)
            elif not _same(param, other):
                raise ImproperlyConfigured(
                    f"{self.build.__qualname__}: a parameter of its SQL changes between builds but is none of its "
                    "values as given: a value transformed on its way (e.g. icontains), or one read inside the "
                    "build (the clock?) that must be an argument"
                )
        if missing := set(first_values) - found:
            names = ", ".join(sorted({name for name, _ in missing}))
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: {names} does not reach the SQL's parameters as given "
                "(a slice bound or a transformed value belongs in the shape)"
            )
        return _Plan(first, compiler, sql, tuple(params), tuple(slots)), db
