/*
 * Comments on the article page. The page is cached and identical for every reader, so this
 * script adds what belongs to one reader only:
 *  - the CSRF token and signed form timestamp, fetched from a never-cached endpoint;
 *  - the name, email and website the reader asked this browser to remember;
 *  - the reader's own comments that await moderation (a signed cookie lists them);
 *  - moving the form under a comment when the reader clicks "Reply";
 *  - reporting a comment: "Report" asks for confirmation, then posts with a fresh token and says
 *    what happened, in place.
 * Without this script the form still works: the server shows it again with fresh tokens, and
 * "Report" opens a small page with its own form.
 */
(function () {
    "use strict";

    var section = document.getElementById("comments");
    if (!section) {
        return;
    }
    var form = document.getElementById("commentform");
    var respond = document.getElementById("respond");

    function readCookie(name) {
        var parts = document.cookie ? document.cookie.split("; ") : [];
        for (var i = 0; i < parts.length; i++) {
            var index = parts[i].indexOf("=");
            if (parts[i].slice(0, index) === name) {
                return parts[i].slice(index + 1).replace(/^"|"$/g, "");
            }
        }
        return null;
    }

    function hiddenInput(name) {
        var input = form.querySelector('input[name="' + name + '"]');
        if (!input) {
            input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            form.appendChild(input);
        }
        return input;
    }

    /* Tokens: fetched once the form comes into view or is touched, so a fast reader's
       form is old enough by the time they post. */
    var tokenRequest = null;

    function loadTokens() {
        if (!tokenRequest) {
            tokenRequest = fetch(form.dataset.tokenUrl, {
                credentials: "same-origin",
                cache: "no-store",
                headers: {Accept: "application/json"}
            }).then(function (response) {
                if (!response.ok) {
                    throw new Error("form token: HTTP " + response.status);
                }
                return response.json();
            }).then(function (data) {
                hiddenInput("csrfmiddlewaretoken").value = data.csrf_token;
                hiddenInput("form_token").value = data.form_token;
            }).catch(function () {
                tokenRequest = null;  // The server will ask the reader to post again; try anew next time.
            });
        }
        return tokenRequest;
    }

    function prefillRememberedAuthor() {
        var raw = readCookie("comment_author");
        if (!raw) {
            return;
        }
        try {
            var saved = JSON.parse(decodeURIComponent(raw));
            [["author", saved.name], ["email", saved.email], ["url", saved.url]].forEach(function (pair) {
                var field = form.elements[pair[0]];
                if (field && !field.value && typeof pair[1] === "string") {
                    field.value = pair[1];
                }
            });
            if (form.elements.remember_me) {
                form.elements.remember_me.checked = true;
            }
        } catch (error) {
            /* A damaged cookie: the reader types their details again. */
        }
    }

    function setUpForm() {
        prefillRememberedAuthor();
        var tokenInput = form.querySelector('input[name="form_token"]');
        if (!(tokenInput && tokenInput.value)) {
            if ("IntersectionObserver" in window) {
                var observer = new IntersectionObserver(function (entries) {
                    if (entries.some(function (entry) { return entry.isIntersecting; })) {
                        observer.disconnect();
                        loadTokens();
                    }
                }, {rootMargin: "300px"});
                observer.observe(form);
            }
            form.addEventListener("focusin", loadTokens);
        }
        form.addEventListener("submit", function (event) {
            var token = form.querySelector('input[name="form_token"]');
            if (token && token.value) {
                return;
            }
            event.preventDefault();
            loadTokens().then(function () {
                form.submit();
            });
        });
    }

    /* Reply links move the form under the comment, as WordPress's comment-reply.js does. */
    var placeholder = null;
    var replyingTo = document.getElementById("replying-to");

    function moveFormTo(commentId, author) {
        var comment = document.getElementById("comment-" + commentId);
        if (!comment) {
            return;
        }
        if (!placeholder) {
            placeholder = document.createElement("div");
            placeholder.hidden = true;
            respond.parentNode.insertBefore(placeholder, respond);
        }
        comment.querySelector(".comment-body").after(respond);
        form.elements.comment_parent.value = commentId;
        replyingTo.querySelector(".replying-to-text").textContent = form.dataset.replyTemplate.replace("NAME", author);
        replyingTo.hidden = false;
        form.elements.comment.focus();
    }

    function cancelReply() {
        if (placeholder) {
            placeholder.parentNode.insertBefore(respond, placeholder);
        }
        form.elements.comment_parent.value = "";
        replyingTo.hidden = true;
    }

    /* Reporting a comment: confirm in place, then post with a CSRF token fetched for this reader. */
    function fetchToken() {
        return fetch(section.dataset.tokenUrl, {
            credentials: "same-origin",
            cache: "no-store",
            headers: {Accept: "application/json"}
        }).then(function (response) {
            if (!response.ok) {
                throw new Error("form token: HTTP " + response.status);
            }
            return response.json();
        });
    }

    function sendReport(link, status) {
        status.textContent = "…";
        fetchToken().then(function (tokens) {
            var data = new FormData();
            data.append("csrfmiddlewaretoken", tokens.csrf_token);
            return fetch(link.href, {
                method: "POST",
                body: data,
                credentials: "same-origin",
                headers: {Accept: "application/json"}
            });
        }).then(function (response) {
            return response.json();
        }).then(function (result) {
            status.textContent = result.message || section.dataset.reportFailed;
            if (result.ok) {
                link.remove();
            }
        }).catch(function () {
            status.textContent = section.dataset.reportFailed;
        });
    }

    function askToReport(link) {
        var holder = link.parentNode.querySelector(".comment-flag-confirm");
        if (holder) {
            holder.querySelector("button").focus();
            return;
        }
        holder = document.createElement("span");
        holder.className = "comment-flag-confirm";
        var question = document.createElement("span");
        question.textContent = section.dataset.reportConfirm + " ";
        var yes = document.createElement("button");
        yes.type = "button";
        yes.className = "comment-flag-yes";
        yes.textContent = section.dataset.reportYes;
        var no = document.createElement("button");
        no.type = "button";
        no.className = "comment-flag-no";
        no.textContent = section.dataset.reportNo;
        var status = document.createElement("span");
        status.className = "comment-flag-status";
        status.setAttribute("role", "status");
        holder.append(question, yes, " ", no);
        link.after(holder, status);
        yes.addEventListener("click", function () {
            holder.remove();
            sendReport(link, status);
        });
        no.addEventListener("click", function () {
            holder.remove();
            link.focus();
        });
        yes.focus();
    }

    section.addEventListener("click", function (event) {
        var flag = event.target.closest(".comment-flag-link");
        if (flag) {
            event.preventDefault();
            askToReport(flag);
            return;
        }
        var link = event.target.closest(".comment-reply-link");
        if (link && form) {
            event.preventDefault();
            moveFormTo(link.dataset.commentId, link.dataset.author);
            return;
        }
        if (event.target.closest("#cancel-comment-reply-link")) {
            event.preventDefault();
            cancelReply();
        }
    });

    /* The reader's own held comments, marked "awaiting moderation", in their place in the thread. */
    function insertComment(item) {
        if (document.getElementById("comment-" + item.id)) {
            return;
        }
        var template = document.createElement("template");
        template.innerHTML = item.html.trim();
        var node = template.content.firstElementChild;
        var parent = item.parent_id ? document.getElementById("comment-" + item.parent_id) : null;
        var list;
        if (parent) {
            list = parent.querySelector(":scope > ol.children");
            if (!list) {
                list = document.createElement("ol");
                list.className = "children";
                parent.appendChild(list);
            }
            var depth = parseInt((parent.className.match(/depth-(\d+)/) || [0, 1])[1], 10);
            node.classList.replace("depth-1", "depth-" + (depth + 1));
        } else {
            list = section.querySelector(".comment-list");
            list.hidden = false;
        }
        list.appendChild(node);
    }

    function showTarget() {
        var target = location.hash && document.getElementById(location.hash.slice(1));
        if (target && target.classList.contains("comment")) {
            target.classList.add("comment-target");
            target.setAttribute("tabindex", "-1");
            target.scrollIntoView({block: "center"});
            target.focus({preventScroll: true});
        }
    }

    function loadPendingComments() {
        if (!readCookie("comment_pending") || !section.dataset.pendingUrl) {
            return;
        }
        fetch(section.dataset.pendingUrl, {credentials: "same-origin", cache: "no-store"})
            .then(function (response) {
                return response.ok ? response.json() : {comments: []};
            })
            .then(function (data) {
                data.comments.forEach(insertComment);
                showTarget();
            })
            .catch(function () {
                /* The comment is saved either way; only its preview is missing. */
            });
    }

    function showErrors() {
        var errors = document.getElementById("comment-errors") || (form && form.querySelector(".errorlist"));
        if (errors) {
            errors.setAttribute("tabindex", "-1");
            errors.scrollIntoView({block: "center"});
            errors.focus({preventScroll: true});
        }
    }

    if (form) {
        setUpForm();
    }
    showErrors();
    loadPendingComments();
}());
