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
 *   data-exit-url         where "Quick exit" goes (default https://www.google.com/, a neutral page;
 *                         only http(s) addresses are used)
 *
 * Why it is written this way:
 *  - No HTML from the bot or the user is ever parsed: every message is built with createElement
 *    and textContent; links are recognised in plain text and only http(s), mailto and tel
 *    addresses become <a> elements. There is no innerHTML in this file.
 *  - The widget lives in a shadow root so the clinic's own CSS cannot break it (or its contrast).
 *  - It talks to the assistant's own "webchat" channel over REST (POST /webchat/webhook).
 *  - The conversation (its server-issued, signed id and the visible history) is kept in
 *    localStorage so a reload does not lose it. The id lives only there and in this closure: no
 *    global exposes it (whoever holds it can read on and delete the conversation).
 *  - Shared or watched devices: "Quick exit" empties the chat on the page and in storage at once,
 *    asks the server to delete the conversation (a keepalive request that outlives the page, the
 *    same deletion as "forget me"), and replaces the page with a neutral one; it never waits for
 *    the network and works while a reply is pending. "New chat" asks first, then deletes the
 *    server copy too (after any reply still on its way). A transcript idle past
 *    data-session-minutes, or whose id the server refuses, is removed from the page and storage.
 *  - Accessibility (WCAG 2.2 AA): role="log" live region, labelled controls, full keyboard use
 *    (Escape closes the panel), visible focus, 44 px targets, contrast >= 4.5:1.
 *  - Crisis replies: the server marks every message of a crisis reply with an "emergency" field
 *    (kind, alarm, and the numbers of knowledge/clinic.yml); the widget never guesses from the
 *    wording and holds no number of its own beyond the 911 fallback for an unreachable server.
 *    Such a reply is scrolled to its START (the first message holds the numbers), and when it
 *    raises the alarm (every kind but past harm) an emergency banner with tap-to-call (and
 *    tap-to-text) links appears above the conversation, outside the scrolling log, and stays
 *    there, also across reloads, until the person closes it. It is a role="alert" region that is
 *    always in the DOM and filled when raised, so screen readers announce the numbers at once.
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
  var STORAGE_PREFIX = "oih-webchat:";
  var STORAGE_KEY = STORAGE_PREFIX + "v1:" + BOT_URL;
  var EXIT_URL = (function (candidate) {
    try {
      var url = candidate ? new URL(candidate, location.href) : null;
      return url && (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (e) {
      return null;
    }
  })(attr("data-exit-url", "")) || "https://www.google.com/";
  var MAX_HISTORY = 200;
  var MAX_CHARS = 1000;
  var REQUEST_TIMEOUT_MS = 60000;

  // Filled in from /webchat/config.json (knowledge/clinic.yml); these are the defaults.
  var config = { emergency_number: "911", clinic_name: "", emergency_contacts: [] };

  // ------------------------------------------------------------------ storage

  function newSenderId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function freshState() {
    return { sender: newSenderId(), messages: [], open: OPEN_FIRST, emergency: null, updated: Date.now() };
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

  // The crisis marker of a bot message: {kind, alarm}, or null for every other message.
  function cleanMarker(e) {
    if (!e || typeof e !== "object") {
      return null;
    }
    return {
      kind: typeof e.kind === "string" ? e.kind.replace(/[^a-z0-9_]/gi, "").slice(0, 40) : "",
      alarm: e.alarm === true,
      lang: cleanLang(e.lang)
    };
  }

  // The language the server marked a crisis reply with: "es" or "en" (the banner's labels).
  function cleanLang(lang) {
    return lang === "es" ? "es" : "en";
  }

  // The banner's numbers as sent by the server: a label and a phone number each (digits,
  // spaces, + ( ) . -), and whether the line takes text messages. Anything else is dropped.
  function cleanContacts(list) {
    if (!Array.isArray(list)) {
      return [];
    }
    return list.filter(function (c) {
      return c && typeof c.number === "string" && /^\+?\d[\d\s().-]{0,24}$/.test(c.number.trim());
    }).slice(0, 6).map(function (c) {
      return {
        label: typeof c.label === "string" ? c.label.slice(0, 60) : "",
        number: c.number.trim(),
        sms: c.sms === true
      };
    });
  }

  function cleanMessage(m) {
    if (!m || (m.from !== "user" && m.from !== "bot")) {
      return null;
    }
    var clean = {
      from: m.from,
      text: typeof m.text === "string" ? m.text : "",
      buttons: cleanButtons(m.buttons),
      error: m.error === true
    };
    var marker = m.from === "bot" ? cleanMarker(m.emergency) : null;
    if (marker) {
      clean.emergency = marker;
    }
    return clean;
  }

  function expired(updated) {
    return Date.now() - updated >= SESSION_MINUTES * 60000;
  }

  // Remove this widget's entries (the transcript and the id) from both storages.
  function clearStorage() {
    [window.localStorage, window.sessionStorage].forEach(function (storage) {
      try {
        for (var i = storage.length - 1; i >= 0; i -= 1) {
          var key = storage.key(i);
          if (key && key.indexOf(STORAGE_PREFIX) === 0) {
            storage.removeItem(key);
          }
        }
      } catch (e) {
        // Storage blocked: nothing was kept there either.
      }
    });
  }

  function loadState() {
    var saved = null;
    try {
      saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
    } catch (e) {
      saved = null; // storage blocked or corrupt
    }
    if (saved && typeof saved.sender === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(saved.sender) &&
        Array.isArray(saved.messages) && typeof saved.updated === "number" && !expired(saved.updated)) {
      return {
        sender: saved.sender,
        messages: saved.messages.map(cleanMessage).filter(Boolean).slice(-MAX_HISTORY),
        open: saved.open === true,
        emergency: saved.emergency && cleanContacts(saved.emergency.contacts).length ?
          { contacts: cleanContacts(saved.emergency.contacts), lang: cleanLang(saved.emergency.lang) } : null,
        updated: saved.updated
      };
    }
    // Expired, refused or corrupt: nothing of it may stay on the device.
    clearStorage();
    return freshState();
  }

  var state = loadState();
  var leaving = false; // set by Quick exit: from then on nothing is written to storage

  function saveState() {
    if (leaving) {
      return;
    }
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
  var exitButton = el("button", "oihc-tool oihc-exit", "Quick exit");
  exitButton.type = "button";
  exitButton.setAttribute("aria-label", "Quick exit: delete this chat and leave this page");
  var clearButton = el("button", "oihc-tool", "New chat");
  clearButton.type = "button";
  clearButton.setAttribute("aria-label", "Start a new chat and forget this one");
  var closeButton = el("button", "oihc-tool oihc-close");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", "Close chat");
  closeButton.appendChild(el("span", "", "\u00d7")).setAttribute("aria-hidden", "true");
  tools.appendChild(exitButton);
  tools.appendChild(clearButton);
  tools.appendChild(closeButton);
  header.appendChild(heading);
  header.appendChild(tools);
  header.appendChild(note);

  // "New chat" asks first: it deletes the conversation on the server too.
  var confirmBox = el("div", "oihc-confirm");
  confirmBox.setAttribute("role", "alertdialog");
  confirmBox.setAttribute("aria-labelledby", "oihc-confirm-text");
  confirmBox.hidden = true;
  var confirmText = el("p", "oihc-confirm-text",
    "Start a new chat? This chat will be deleted from this device and from the assistant. " +
    "You cannot get it back.");
  confirmText.id = "oihc-confirm-text";
  var confirmYes = el("button", "oihc-tool oihc-confirm-yes", "Yes, delete it");
  confirmYes.type = "button";
  var confirmNo = el("button", "oihc-tool oihc-confirm-no", "No, keep it");
  confirmNo.type = "button";
  var confirmRow = el("div", "oihc-confirm-row");
  confirmRow.appendChild(confirmYes);
  confirmRow.appendChild(confirmNo);
  confirmBox.appendChild(confirmText);
  confirmBox.appendChild(confirmRow);

  // The emergency banner: outside the scrolling log, so it stays in view. An alert region that is
  // always present (empty until raised): filling it is what screen readers announce.
  var banner = el("div", "oihc-emergency");
  banner.setAttribute("role", "alert");

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
  panel.appendChild(confirmBox);
  panel.appendChild(banner);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  aside.appendChild(launcher);
  aside.appendChild(panel);
  root.appendChild(stylesheet);
  root.appendChild(aside);

  // ------------------------------------------------------------------ behaviour

  // A crisis reply that arrived while the panel was closed: shown from its start on opening.
  var scrollTarget = null;

  function scrollToEnd() {
    scrollTarget = null;
    log.scrollTop = log.scrollHeight;
  }

  // Scroll the log so that the top of ``item`` is at the top of the visible conversation.
  function scrollToStartOf(item) {
    if (panel.hidden) {
      scrollTarget = item;
      return;
    }
    scrollTarget = null;
    var offset = item.getBoundingClientRect().top - log.getBoundingClientRect().top;
    log.scrollTop = Math.max(0, log.scrollTop + offset - 8);
  }

  function telHref(number, scheme) {
    var digits = number.replace(/[^\d+]/g, "");
    return /\d/.test(digits) ? scheme + digits : null;
  }

  function contactLink(href, action, number, label) {
    var a = el("a", "oihc-emergency-link");
    a.href = href;
    // "Call" and the number may go on two lines, but a number is never broken in two.
    var line = el("span", "oihc-emergency-action", action + " ");
    line.appendChild(el("span", "oihc-emergency-number", number));
    a.appendChild(line);
    if (label) {
      a.appendChild(document.createTextNode(" ")); // a word break in the link's accessible name
      a.appendChild(el("span", "oihc-emergency-label", label));
    }
    return a;
  }

  // The banner's own words, in the language the server marked the crisis reply with.
  var BANNER_WORDS = {
    en: { title: "Emergency help", close: "Close emergency help", list: "Numbers to call or text now",
      call: "Call", text: "Text" },
    es: { title: "Ayuda de emergencia", close: "Cerrar la ayuda de emergencia",
      list: "Números para llamar o enviar un mensaje ahora", call: "Llamar al", text: "Mensaje al" }
  };

  function renderEmergency() {
    banner.textContent = "";
    var contacts = state.emergency ? state.emergency.contacts : [];
    aside.classList.toggle("oihc-alarm", contacts.length > 0);
    if (!contacts.length) {
      return;
    }
    var lang = cleanLang(state.emergency.lang);
    var words = BANNER_WORDS[lang];
    var box = el("div", "oihc-emergency-box");
    box.lang = lang;
    var head = el("div", "oihc-emergency-head");
    var title = el("h3", "oihc-emergency-title", words.title);
    var close = el("button", "oihc-emergency-close");
    close.type = "button";
    close.setAttribute("aria-label", words.close);
    close.appendChild(el("span", "", "\u00d7")).setAttribute("aria-hidden", "true");
    close.addEventListener("click", function () {
      state.emergency = null;
      saveState();
      renderEmergency();
      input.focus();
    });
    head.appendChild(title);
    head.appendChild(close);
    var list = el("ul", "oihc-emergency-links");
    list.setAttribute("aria-label", words.list);
    contacts.forEach(function (c) {
      var call = telHref(c.number, "tel:");
      if (call) {
        list.appendChild(el("li")).appendChild(contactLink(call, words.call, c.number, c.label));
      }
      var text = c.sms ? telHref(c.number, "sms:") : null;
      if (text) {
        list.appendChild(el("li")).appendChild(contactLink(text, words.text, c.number, c.label));
      }
    });
    box.appendChild(head);
    box.appendChild(list);
    banner.appendChild(box);
  }

  // Raise (or raise again, after the person closed it) the banner with these numbers.
  function raiseEmergency(contacts, lang) {
    var clean = cleanContacts(contacts);
    if (!clean.length) {
      clean = cleanContacts(config.emergency_contacts);
    }
    if (!clean.length) {
      clean = cleanContacts([{ label: "Emergency", number: config.emergency_number }]);
    }
    state.emergency = { contacts: clean, lang: cleanLang(lang) };
    saveState();
    // Filled anew, so that screen readers announce it again; a person who was on one of its
    // links or its close button stays there.
    var controls = banner.querySelectorAll("a, button");
    var focused = Array.prototype.indexOf.call(controls, root.activeElement);
    renderEmergency();
    if (focused >= 0) {
      var again = banner.querySelectorAll("a, button");
      (again[focused] || again[0] || input).focus();
    }
  }

  function renderMessage(m) {
    var alarm = m.emergency && m.emergency.alarm;
    var item = el("div", "oihc-msg oihc-" + m.from + (m.error ? " oihc-error" : "") + (alarm ? " oihc-crisis" : ""));
    if (m.emergency && m.emergency.lang !== "en") {
      item.lang = m.emergency.lang; // screen readers read a Spanish crisis reply in Spanish
    }
    if (m.text) {
      var body = el("p", "oihc-text");
      var who = body.appendChild(srOnly(m.from === "user" ? "You said: " : "Assistant: "));
      if (item.lang) {
        who.lang = "en";
      }
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
    return item;
  }

  // Adds a message to the history and the log; returns its element (null if nothing to show).
  function addMessage(m, keepScroll) {
    var clean = leaving ? null : cleanMessage(m);
    if (!clean || (!clean.text && !clean.buttons.length)) {
      return null;
    }
    state.messages.push(clean);
    saveState();
    var item = renderMessage(clean);
    if (!keepScroll) {
      scrollToEnd();
    }
    return item;
  }

  // One reply of the assistant (one or more messages). An ordinary reply is scrolled to its end;
  // a crisis reply to the start of its first crisis message, after the banner is raised (the
  // banner takes room from the log, so it must be in place before the scroll is measured).
  function addReply(replies) {
    var firstCrisis = null;
    var alarm = null;
    var alarmLang = "en";
    replies.forEach(function (r) {
      if (!r || typeof r !== "object") {
        return;
      }
      var item = addMessage({ from: "bot", text: r.text, buttons: r.buttons, emergency: r.emergency }, true);
      var marker = cleanMarker(r.emergency);
      if (item && marker) {
        firstCrisis = firstCrisis || item;
        if (marker.alarm && alarm === null) {
          alarm = r.emergency.contacts;
          alarmLang = marker.lang;
        }
      }
    });
    if (alarm !== null) {
      raiseEmergency(alarm, alarmLang);
    }
    if (firstCrisis) {
      scrollToStartOf(firstCrisis);
    } else {
      scrollToEnd();
    }
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

  // Ask the server to delete a conversation (the same deletion as "forget me"). Resolves to true
  // when it is gone (or was never stored: an id the server did not issue holds nothing), false
  // when the request failed. ``leavingPage``: a keepalive request, which the browser completes
  // after the page is gone. Never throws.
  function forgetOnServer(sender, leavingPage) {
    if (!/^wc-/.test(sender)) {
      return Promise.resolve(true);
    }
    try {
      return fetch(BOT_URL + "/webchat/forget", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender }),
        keepalive: leavingPage === true
      }).then(function (response) {
        return response.ok;
      }, function () {
        return false;
      });
    } catch (e) {
      return Promise.resolve(false);
    }
  }

  // Empty the chat on this page: the log, the banner, the input, the typing indicator, the
  // confirmation; ``state`` becomes a fresh one (so replies still on their way to the old
  // conversation are dropped: their sender no longer matches).
  function resetChat(open) {
    state = freshState();
    state.open = open;
    log.textContent = "";
    input.value = "";
    scrollTarget = null;
    confirmBox.hidden = true;
    setTyping(false);
    renderEmergency();
  }

  // The server refused the stored id (its signing key changed, or the conversation is too old):
  // the transcript of that conversation goes from the page and the device, and a new one starts.
  function startOver(shown) {
    resetChat(state.open);
    clearStorage();
    addMessage({ from: "bot", text: "Your earlier chat had ended, so I removed it from this device. This is a new chat." });
    if (shown !== null && shown !== undefined) {
      addMessage({ from: "user", text: shown });
    }
    setTyping(inFlight > 0);
  }

  function post(message, shown) {
    var sender = state.sender;
    var controller = window.AbortController ? new AbortController() : null;
    var timer = window.setTimeout(function () { if (controller) { controller.abort(); } }, REQUEST_TIMEOUT_MS);
    inFlight += 1;
    setTyping(true);
    function postAs(issued) {
      if (leaving) {
        return Promise.reject(new Error("the page is being left"));
      }
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
        // The server no longer accepts this id: remove its transcript, get a new id, once.
        startOver(shown);
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
      addReply(Array.isArray(replies) ? replies : []);
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
    pending = pending.then(function () { return post(message, shown === undefined ? message : shown); });
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
      if (scrollTarget) {
        scrollToStartOf(scrollTarget);
      } else {
        scrollToEnd();
      }
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
  // "New chat": ask first (the confirmation), then delete here and on the server.
  clearButton.addEventListener("click", function () {
    confirmBox.hidden = false;
    confirmNo.focus(); // the safe answer first: Enter by mistake keeps the chat
  });
  function closeConfirm() {
    confirmBox.hidden = true;
    clearButton.focus();
  }
  confirmNo.addEventListener("click", closeConfirm);
  confirmYes.addEventListener("click", function () {
    var old = state.sender;
    resetChat(true);
    saveState();
    setTyping(inFlight > 0);
    // After any reply of the old chat that is still on its way (the server saves it first, so
    // the deletion comes last); the new chat's greeting waits for the deletion.
    pending = pending.then(function () {
      return forgetOnServer(old, false);
    }).then(function (deleted) {
      if (!deleted) {
        addMessage({
          from: "bot",
          error: true,
          text: "Sorry, I could not delete your last chat on the server just now. It is removed " +
            "there automatically after a while. You can also ask the clinic to delete it."
        });
      }
    });
    greetIfNew();
    input.focus();
  });

  // Quick exit: for a person who must hide the chat now. Everything local happens at once and
  // first; the server deletion is a keepalive request nobody waits for; then the page is left
  // (replace: the back button does not return to it). Nothing here can throw before leaving.
  function quickExit() {
    var sender = state.sender;
    try {
      leaving = true;
      resetChat(false);
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      aside.classList.remove("oihc-open");
      clearStorage();
      forgetOnServer(sender, true);
    } finally {
      window.location.replace(EXIT_URL);
    }
  }
  exitButton.addEventListener("click", quickExit);

  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      if (!confirmBox.hidden) {
        closeConfirm();
      } else {
        setOpen(false, true);
      }
    }
  });

  // A chat idle past data-session-minutes is removed from the page and the device, also while
  // the page stays open (a tab left on a shared computer). Checked every 30 s, when the page is
  // shown again, and before a message is sent.
  function dropIfExpired() {
    if (leaving || inFlight > 0 || !state.messages.length || !expired(state.updated)) {
      return false;
    }
    resetChat(state.open);
    clearStorage();
    if (state.open) {
      saveState();
    }
    return true;
  }
  window.setInterval(function () {
    if (dropIfExpired() && state.open) {
      greetIfNew();
    }
  }, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && dropIfExpired() && state.open) {
      greetIfNew();
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    dropIfExpired();
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
  renderEmergency();
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
    if (c && Array.isArray(c.emergency_contacts)) {
      config.emergency_contacts = c.emergency_contacts;
    }
    if (c && typeof c.emergency_number === "string" && c.emergency_number) {
      config.emergency_number = c.emergency_number;
      note.textContent = "";
      appendLinkified(note, noteText());
    }
  }).catch(function () { /* keep the defaults */ });

  // A small hook for clinics that want their own "chat with us" link. It never exposes the
  // conversation id (whoever holds it can read on and delete the conversation).
  window.OIHWebchat = {
    open: function () { setOpen(true, true); },
    close: function () { setOpen(false, false); },
    quickExit: quickExit
  };
})();
