/*
 * OIH patient-education assistant: embeddable chat widget.
 *
 * A clinic adds ONE tag to its site:
 *   <script src="https://bot.example/webchat/widget.js" data-bot-url="https://bot.example" defer></script>
 *
 * Optional attributes on that tag:
 *   data-bot-url          where the assistant runs (default: where this script was loaded from)
 *   data-title            the panel's heading (default "Pain medicine questions")
 *   data-open="true"      open the panel on the first visit
 *   data-session-minutes  forget the conversation after this many idle minutes (default 60,
 *                         the assistant's own session length)
 *
 * Why it is written this way:
 *  - No HTML from the bot or the user is ever parsed: every message is built with createElement
 *    and textContent; links are recognised in plain text and only http(s), mailto and tel
 *    addresses become <a> elements. There is no innerHTML in this file.
 *  - The widget lives in a shadow root so the clinic's own CSS cannot break it (or its contrast).
 *  - It talks to the assistant's own "webchat" channel over REST (POST /webchat/webhook).
 *  - The conversation (a random sender id and the visible history) is kept in localStorage so a
 *    reload does not lose it; "New chat" forgets it at once (shared computers in waiting rooms).
 *  - Accessibility (WCAG 2.2 AA): role="log" live region, labelled controls, full keyboard use
 *    (Escape closes the panel), visible focus, 44 px targets, contrast >= 4.5:1.
 */
(function () {
  "use strict";

  if (window.__oihWebchatLoaded) {
    return;
  }
  window.__oihWebchatLoaded = true;

  var script = document.currentScript || document.querySelector('script[src*="webchat/widget.js"]');
  var attr = function (name, fallback) {
    var value = script && script.getAttribute(name);
    return value === null || value === undefined || value === "" ? fallback : value;
  };
  var scriptBase = script && script.src ? script.src.replace(/\/webchat\/widget\.js(?:[?#].*)?$/, "") : location.origin;
  var BOT_URL = attr("data-bot-url", scriptBase).replace(/\/+$/, "");
  var TITLE = attr("data-title", "Pain medicine questions");
  var OPEN_FIRST = attr("data-open", "false") === "true";
  var SESSION_MINUTES = Number(attr("data-session-minutes", "60")) || 60;
  var STORAGE_KEY = "oih-webchat:v1:" + BOT_URL;
  var MAX_HISTORY = 200;
  var MAX_CHARS = 1000;
  var REQUEST_TIMEOUT_MS = 60000;

  // Filled in from /webchat/config.json (knowledge/clinic.yml); these are the defaults.
  var config = { emergency_number: "911", clinic_name: "" };

  // ------------------------------------------------------------------ storage

  function newSenderId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function freshState() {
    return { sender: newSenderId(), messages: [], open: OPEN_FIRST, updated: Date.now() };
  }

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) {
      return [];
    }
    return buttons.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string" && b.title && b.payload;
    }).map(function (b) {
      return { title: b.title, payload: b.payload };
    });
  }

  function cleanMessage(m) {
    if (!m || (m.from !== "user" && m.from !== "bot")) {
      return null;
    }
    return {
      from: m.from,
      text: typeof m.text === "string" ? m.text : "",
      buttons: cleanButtons(m.buttons),
      error: m.error === true
    };
  }

  function loadState() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (saved && typeof saved.sender === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(saved.sender) &&
          Array.isArray(saved.messages) && typeof saved.updated === "number" &&
          Date.now() - saved.updated < SESSION_MINUTES * 60000) {
        return {
          sender: saved.sender,
          messages: saved.messages.map(cleanMessage).filter(Boolean).slice(-MAX_HISTORY),
          open: saved.open === true,
          updated: saved.updated
        };
      }
    } catch (e) {
      // Storage blocked or corrupt: start a new conversation.
    }
    return freshState();
  }

  var state = loadState();

  function saveState() {
    state.updated = Date.now();
    state.messages = state.messages.slice(-MAX_HISTORY);
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (e) {
      // Private mode or full storage: the conversation just won't survive a reload.
    }
  }

  // ------------------------------------------------------------------ DOM helpers

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function srOnly(text) {
    return el("span", "oihc-sr", text);
  }

  // Plain text -> text nodes and <a> elements. Recognises http(s) URLs, e-mail addresses,
  // North-American phone numbers and "call/text/dial 911|988" (so a phone user can tap them).
  var LINK_RE = new RegExp(
    "(https?:\\/\\/[^\\s<>\"']+)" +                                           // 1 URL
    "|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})" + // 2 e-mail
    "|((?:\\+?1[-.\\s])?(?:\\(\\d{3}\\)\\s?|\\b\\d{3}[-.\\s])\\d{3}[-.\\s]\\d{4}\\b)" + // 3 phone
    "|\\b((?:call|text|dial)(?:\\s+or\\s+text)?\\s+)(911|988)\\b",             // 4 verb, 5 short number
    "gi"
  );

  function safeHttpUrl(candidate) {
    try {
      var url = new URL(candidate);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(href, label, external) {
    var a = el("a", "oihc-link", label);
    a.href = href;
    if (external) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.appendChild(srOnly(" (opens in a new tab)"));
    }
    return a;
  }

  function appendLinkified(parent, text) {
    var last = 0;
    var match;
    LINK_RE.lastIndex = 0;
    while ((match = LINK_RE.exec(text)) !== null) {
      var start = match.index;
      var matched = match[0];
      var node = null;
      if (match[1]) {
        var trimmed = matched.replace(/[.,;:!?)\]]+$/, "");
        var href = safeHttpUrl(trimmed);
        if (href) {
          matched = trimmed;
          node = link(href, trimmed, true);
        }
      } else if (match[2]) {
        node = link("mailto:" + matched, matched, false);
      } else if (match[3]) {
        node = link("tel:" + matched.replace(/[^\d+]/g, ""), matched, false);
      } else if (match[5]) {
        parent.appendChild(document.createTextNode(text.slice(last, start) + match[4]));
        parent.appendChild(link("tel:" + match[5], match[5], false));
        last = start + matched.length;
        continue;
      }
      if (node) {
        parent.appendChild(document.createTextNode(text.slice(last, start)));
        parent.appendChild(node);
        last = start + matched.length;
        LINK_RE.lastIndex = last;
      }
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ------------------------------------------------------------------ build the widget

  var host = el("div");
  host.id = "oih-webchat";
  host.style.visibility = "hidden"; // until the stylesheet has loaded
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;

  var stylesheet = el("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = BOT_URL + "/webchat/widget.css";
  var reveal = function () { host.style.visibility = ""; };
  stylesheet.addEventListener("load", reveal);
  stylesheet.addEventListener("error", reveal);
  window.setTimeout(reveal, 3000);

  var aside = el("aside", "oihc");
  aside.setAttribute("aria-label", "Chat assistant");

  var launcher = el("button", "oihc-launcher", "Questions about pain medicine? Chat");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "oihc-panel");

  var panel = el("div", "oihc-panel");
  panel.id = "oihc-panel";
  panel.hidden = true;

  var header = el("div", "oihc-header");
  var heading = el("h2", "oihc-title", TITLE);
  heading.id = "oihc-title";
  var note = el("p", "oihc-note");
  var noteText = function () {
    return "Automated assistant. General information, not medical advice. In an emergency, call " +
      config.emergency_number + ".";
  };
  appendLinkified(note, noteText());
  var tools = el("div", "oihc-tools");
  var clearButton = el("button", "oihc-tool", "New chat");
  clearButton.type = "button";
  clearButton.setAttribute("aria-label", "Start a new chat and forget this one");
  var closeButton = el("button", "oihc-tool oihc-close");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Close chat");
  closeButton.appendChild(el("span", "", "\u00d7")).setAttribute("aria-hidden", "true");
  tools.appendChild(clearButton);
  tools.appendChild(closeButton);
  header.appendChild(heading);
  header.appendChild(tools);
  header.appendChild(note);

  var log = el("div", "oihc-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0; // scrollable region must be reachable by keyboard

  var typing = el("div", "oihc-typing");
  typing.setAttribute("role", "status");

  var form = el("form", "oihc-form");
  form.setAttribute("novalidate", "");
  var label = el("label", "oihc-label", "Type your question");
  label.htmlFor = "oihc-input";
  var row = el("div", "oihc-row");
  var input = el("input", "oihc-input");
  input.id = "oihc-input";
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = MAX_CHARS;
  input.setAttribute("enterkeyhint", "send");
  var sendButton = el("button", "oihc-send", "Send");
  sendButton.type = "submit";
  row.appendChild(input);
  row.appendChild(sendButton);
  form.appendChild(label);
  form.appendChild(row);

  panel.setAttribute("role", "region");
  panel.setAttribute("aria-labelledby", "oihc-title");
  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  aside.appendChild(launcher);
  aside.appendChild(panel);
  root.appendChild(stylesheet);
  root.appendChild(aside);

  // ------------------------------------------------------------------ behaviour

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function renderMessage(m) {
    var item = el("div", "oihc-msg oihc-" + m.from + (m.error ? " oihc-error" : ""));
    if (m.text) {
      var body = el("p", "oihc-text");
      body.appendChild(srOnly(m.from === "user" ? "You said: " : "Assistant: "));
      appendLinkified(body, m.text);
      item.appendChild(body);
    }
    if (m.buttons && m.buttons.length) {
      var group = el("div", "oihc-buttons");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Suggested replies");
      m.buttons.forEach(function (b) {
        var button = el("button", "oihc-quick", b.title);
        button.type = "button";
        button.addEventListener("click", function () {
          send(b.payload, b.title);
          input.focus();
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
  }

  function addMessage(m) {
    var clean = cleanMessage(m);
    if (!clean || (!clean.text && !clean.buttons.length)) {
      return;
    }
    state.messages.push(clean);
    saveState();
    renderMessage(clean);
    scrollToEnd();
  }

  function setTyping(on) {
    typing.textContent = "";
    if (on) {
      var dots = el("span", "oihc-dots");
      dots.setAttribute("aria-hidden", "true");
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      typing.appendChild(dots);
      typing.appendChild(el("span", "oihc-typing-text", "The assistant is typing\u2026"));
    }
    aside.classList.toggle("oihc-busy", on);
  }

  var pending = Promise.resolve();
  var inFlight = 0;

  // The conversation id is issued (and signed) by the server: POST /webchat/session. The local
  // random id of a fresh state only marks "no id yet" and tells chats apart for "New chat".
  function serverSender() {
    if (/^wc-/.test(state.sender)) {
      return Promise.resolve(state.sender);
    }
    var local = state.sender;
    return fetch(BOT_URL + "/webchat/session", { method: "POST" }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    }).then(function (session) {
      if (state.sender === local && session && typeof session.sender === "string") {
        state.sender = session.sender;
        saveState();
      }
      return state.sender;
    });
  }

  function post(message) {
    var sender = state.sender;
    var controller = window.AbortController ? new AbortController() : null;
    var timer = window.setTimeout(function () { if (controller) { controller.abort(); } }, REQUEST_TIMEOUT_MS);
    inFlight += 1;
    setTyping(true);
    function postAs(issued) {
      sender = issued;
      return fetch(BOT_URL + "/webchat/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: message }),
        signal: controller ? controller.signal : undefined
      });
    }
    return serverSender().then(postAs).then(function (response) {
      if (response.status === 403 && sender === state.sender) {
        // The server no longer accepts this id (its signing key changed): get a new one, once.
        state.sender = newSenderId();
        return serverSender().then(postAs);
      }
      return response;
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    }).then(function (replies) {
      if (sender !== state.sender) {
        return; // the user started a new chat meanwhile
      }
      (Array.isArray(replies) ? replies : []).forEach(function (r) {
        addMessage({ from: "bot", text: r && r.text, buttons: r && r.buttons });
      });
    }).catch(function () {
      if (sender === state.sender) {
        addMessage({
          from: "bot",
          error: true,
          text: "Sorry, I can't reach the assistant right now. Please try again in a moment. " +
            "In an emergency, call " + config.emergency_number + "."
        });
      }
    }).then(function () {
      window.clearTimeout(timer);
      inFlight -= 1;
      if (inFlight === 0) {
        setTyping(false);
      }
    });
  }

  // Messages are sent one after another so replies keep their order.
  function send(message, shown) {
    if (shown !== null) {
      addMessage({ from: "user", text: shown === undefined ? message : shown });
    }
    pending = pending.then(function () { return post(message); });
    return pending;
  }

  function greetIfNew() {
    if (!state.messages.length) {
      send("/greet", null);
    }
  }

  function setOpen(open, moveFocus) {
    state.open = open;
    saveState();
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    aside.classList.toggle("oihc-open", open);
    if (open) {
      scrollToEnd();
      greetIfNew();
      if (moveFocus) {
        input.focus();
      }
    } else if (moveFocus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(!state.open, true);
  });
  closeButton.addEventListener("click", function () {
    setOpen(false, true);
  });
  clearButton.addEventListener("click", function () {
    state = freshState();
    state.open = true;
    saveState();
    log.textContent = "";
    greetIfNew();
    input.focus();
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false, true);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.replace(/\s+/g, " ").trim().slice(0, MAX_CHARS);
    if (!text) {
      input.focus();
      return;
    }
    input.value = "";
    send(text);
  });

  // ------------------------------------------------------------------ start

  state.messages.forEach(renderMessage);
  if (state.open) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    aside.classList.add("oihc-open");
  }

  function mount() {
    document.body.appendChild(host);
    scrollToEnd();
    if (state.open) {
      greetIfNew();
    }
  }

  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }

  fetch(BOT_URL + "/webchat/config.json").then(function (r) {
    return r.ok ? r.json() : null;
  }).then(function (c) {
    if (c && typeof c.emergency_number === "string" && c.emergency_number) {
      config.emergency_number = c.emergency_number;
      note.textContent = "";
      appendLinkified(note, noteText());
    }
  }).catch(function () { /* keep the defaults */ });

  // A small hook for tests and for clinics that want their own "chat with us" link.
  window.OIHWebchat = {
    open: function () { setOpen(true, true); },
    close: function () { setOpen(false, false); },
    senderId: function () { return state.sender; }
  };
})();
