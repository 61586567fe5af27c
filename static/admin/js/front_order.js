// A curated front's pins: drag a row by its handle, or use the ↑ ↓ buttons (keyboard), to change the order;
// the position fields follow the rows, and typing a position still works. The first row is the lead.
"use strict";
(function () {
    // Translated labels from the page (templates/admin/articles/front/change_form.html).
    let labels = {moveUp: "Move up", moveDown: "Move down", drag: "Drag to reorder", lead: "Lead"};

    function rows(body) {
        return Array.from(body.querySelectorAll("tr.form-row:not(.empty-form)"));
    }

    function renumber(body) {
        rows(body).forEach(function (row, index) {
            const input = row.querySelector("input.front-position");
            if (input) {
                input.value = index;
            }
            row.classList.toggle("front-lead-row", index === 0);
        });
    }

    function button(label, text, handler) {
        const element = document.createElement("button");
        element.type = "button";
        element.className = "front-move";
        element.textContent = text;
        element.setAttribute("aria-label", label);
        element.title = label;
        element.addEventListener("click", handler);
        return element;
    }

    function equip(row, body) {
        if (row.dataset.frontEquipped) {
            return;
        }
        row.dataset.frontEquipped = "1";
        const cell = row.querySelector("td.field-position");
        if (!cell) {
            return;
        }
        const handle = document.createElement("span");
        handle.className = "front-handle";
        handle.textContent = "⠿";
        handle.title = labels.drag;
        handle.setAttribute("aria-hidden", "true");
        row.draggable = false;
        handle.addEventListener("mousedown", function () { row.draggable = true; });
        row.addEventListener("dragend", function () {
            row.draggable = false;
            row.classList.remove("front-dragging");
            renumber(body);
        });
        row.addEventListener("dragstart", function (event) {
            row.classList.add("front-dragging");
            event.dataTransfer.effectAllowed = "move";
            event.dataTransfer.setData("text/plain", row.id || "row");
        });
        cell.prepend(handle);
        const badge = document.createElement("span");
        badge.className = "front-lead-badge";
        badge.textContent = labels.lead;
        cell.append(
            badge,
            button(labels.moveUp, "↑", function () {
                const previous = row.previousElementSibling;
                if (previous && previous.matches("tr.form-row:not(.empty-form)")) {
                    previous.before(row);
                    renumber(body);
                    this.focus();
                }
            }),
            button(labels.moveDown, "↓", function () {
                const next = row.nextElementSibling;
                if (next && next.matches("tr.form-row:not(.empty-form)")) {
                    next.after(row);
                    renumber(body);
                    this.focus();
                }
            })
        );
    }

    function setUp(group) {
        const body = group.querySelector("tbody");
        if (!body) {
            return;
        }
        rows(body).forEach(function (row) { equip(row, body); });
        body.addEventListener("dragover", function (event) {
            const dragging = body.querySelector(".front-dragging");
            const over = event.target.closest("tr.form-row:not(.empty-form)");
            if (!dragging || !over || over === dragging) {
                return;
            }
            event.preventDefault();
            const box = over.getBoundingClientRect();
            if (event.clientY < box.top + box.height / 2) {
                over.before(dragging);
            } else {
                over.after(dragging);
            }
        });
        body.addEventListener("drop", function (event) {
            event.preventDefault();
            renumber(body);
        });
        renumber(body);
        document.addEventListener("formset:added", function (event) {
            if (group.contains(event.target)) {
                equip(event.target, body);
                renumber(body);
            }
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        const given = document.getElementById("front-order-labels");
        if (given) {
            labels = Object.assign(labels, given.dataset);
        }
        document.querySelectorAll(".inline-group.front-pins, .front-pins").forEach(function (element) {
            setUp(element.closest(".inline-group") || element);
        });
    });
})();
