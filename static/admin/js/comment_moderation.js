// The comment list, moderated from the keyboard as in WordPress: j/k move between comments, a approve,
// u unapprove, s spam, t trash, r reply, x select, Enter open. Quick actions (keys or buttons) are sent
// in the background and the row is updated in place, then the next comment is selected. Without
// JavaScript the buttons post the list's form and the page reloads with a message.
"use strict";
(function () {
    const KEYS = {a: "approve", u: "unapprove", s: "spam", t: "trash"};

    function typing(target) {
        return target.closest("input, textarea, select, [contenteditable]") !== null;
    }

    document.addEventListener("DOMContentLoaded", function () {
        const table = document.getElementById("result_list");
        const form = document.getElementById("changelist-form");
        const status = document.getElementById("comment-shortcut-status");
        if (!table || !form) {
            return;
        }
        const rows = Array.from(table.querySelectorAll("tbody tr"));
        let current = -1;

        function select(index) {
            if (!rows.length) {
                return;
            }
            current = Math.max(0, Math.min(index, rows.length - 1));
            rows.forEach(function (row, number) {
                row.classList.toggle("comment-current", number === current);
                row.setAttribute("aria-current", number === current ? "true" : "false");
            });
            const row = rows[current];
            row.tabIndex = -1;
            row.focus({preventScroll: true});
            row.scrollIntoView({block: "nearest"});
        }

        function say(text) {
            if (status) {
                status.textContent = text;
            }
        }

        function act(row, button) {
            const token = form.querySelector("input[name=csrfmiddlewaretoken]");
            const data = new FormData();
            data.append("csrfmiddlewaretoken", token ? token.value : "");
            data.append("next", window.location.href);
            button.disabled = true;
            return fetch(button.formAction, {
                method: "POST",
                body: data,
                credentials: "same-origin",
                headers: {Accept: "application/json"}
            }).then(function (response) {
                if (!response.ok) {
                    throw new Error("HTTP " + response.status);
                }
                return response.json();
            }).then(function (result) {
                const badge = row.querySelector(".comment-status");
                if (badge) {
                    badge.className = "comment-status comment-status-" + result.status;
                    badge.textContent = result.label;
                }
                const actions = row.querySelector(".comment-quick-actions");
                if (actions) {
                    const template = document.createElement("template");
                    template.innerHTML = result.actions_html.trim();
                    actions.replaceWith(template.content.firstElementChild);
                }
                row.dataset.status = result.status;
                say(status.dataset.done.replace("ID", result.id).replace("STATUS", result.label));
                return true;
            }).catch(function () {
                button.disabled = false;
                say(status.dataset.failed);
                return false;
            });
        }

        form.addEventListener("click", function (event) {
            const button = event.target.closest("button.comment-quick-action[data-action]");
            if (!button) {
                return;
            }
            event.preventDefault();
            const row = button.closest("tr");
            select(rows.indexOf(row));
            act(row, button);
        });

        document.addEventListener("keydown", function (event) {
            if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
                return;
            }
            const key = event.key.toLowerCase();
            if (key === "j" || key === "k") {
                event.preventDefault();
                select(current < 0 ? 0 : current + (key === "j" ? 1 : -1));
                return;
            }
            if (current < 0) {
                return;
            }
            const row = rows[current];
            if (KEYS[key]) {
                const button = row.querySelector('button[data-action="' + KEYS[key] + '"]');
                event.preventDefault();
                if (button) {
                    act(row, button).then(function (done) {
                        if (done && current < rows.length - 1) {
                            select(current + 1);
                        }
                    });
                }
            } else if (key === "r") {
                const reply = row.querySelector('a[data-action="reply"]');
                if (reply) {
                    event.preventDefault();
                    window.location.href = reply.href;
                }
            } else if (key === "x") {
                const box = row.querySelector("input.action-select");
                if (box) {
                    event.preventDefault();
                    box.click();
                }
            } else if (key === "enter" && event.target === row) {
                const link = row.querySelector("td a, th a");
                if (link) {
                    event.preventDefault();
                    window.location.href = link.href;
                }
            }
        });
    });
})();
