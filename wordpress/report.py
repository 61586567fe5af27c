"""What an import did, per kind of object: imported, updated, unchanged, skipped and failed, with reasons."""

from collections import Counter, defaultdict

OUTCOMES = ("imported", "updated", "unchanged", "skipped", "failed")
KINDS = ("author", "category", "tag", "publisher", "post", "comment", "attachment", "image", "redirect", "other")
EXAMPLES = 5
PLURALS = {"category": "categories", "other": "other items"}


class Report:
    def __init__(self):
        self.counts = Counter()  # (kind, outcome) -> n
        self.reasons = Counter()  # (kind, outcome, reason) -> n
        self.examples = defaultdict(list)  # (kind, outcome, reason) -> a few WordPress IDs
        self.notes = Counter()  # (topic, detail) -> n: shortcodes and blocks not kept, media waiting...
        self.batches = 0
        self.items_read = 0
        self.stopped = ""  # why the run stopped early, if it did

    def add(self, kind, outcome, reason="", example=None, count=1):
        self.counts[kind, outcome] += count
        if reason:
            key = (kind, outcome, reason)
            self.reasons[key] += count
            if example is not None and len(self.examples[key]) < EXAMPLES:
                self.examples[key].append(str(example))

    def flag(self, kind, outcome, reason, example=None):
        """A reason that concerns objects already counted (an email dropped from an imported comment)."""
        key = (kind, outcome, reason)
        self.reasons[key] += 1
        if example is not None and len(self.examples[key]) < EXAMPLES:
            self.examples[key].append(str(example))

    def note(self, topic, detail, count=1):
        self.notes[topic, detail] += count

    def count(self, kind, outcome=None):
        if outcome is None:
            return sum(n for (k, _o), n in self.counts.items() if k == kind)
        return self.counts[kind, outcome]

    @property
    def failed(self):
        return sum(n for (_k, outcome), n in self.counts.items() if outcome == "failed")

    def lines(self, *, dry_run=False):
        out = ["Dry run: nothing was written. This is what the import would do." if dry_run else "Import report"]
        out.append(f"{'':12}" + "".join(f"{outcome:>11}" for outcome in OUTCOMES))
        for kind in KINDS:
            if self.count(kind):
                out.append(
                    f"{PLURALS.get(kind, kind + 's'):12}"
                    + "".join(f"{self.counts[kind, outcome]:>11}" for outcome in OUTCOMES)
                )
        if self.reasons:
            out.append("")
            out.append("Reasons:")
            for (kind, outcome, reason), n in sorted(self.reasons.items()):
                examples = self.examples[kind, outcome, reason]
                shown = (
                    f" (WordPress IDs {', '.join(examples)}{', …' if n > len(examples) else ''})" if examples else ""
                )
                out.append(f"  {kind}, {outcome}: {reason}: {n}{shown}")
        if self.notes:
            out.append("")
            out.append("Content that could not be kept as it was:")
            for (topic, detail), n in sorted(self.notes.items()):
                out.append(f"  {topic}: {detail}: {n}")
        if self.stopped:
            out.append("")
            out.append(self.stopped)
        return out
