/*
 * Favorites: send the star and "remove" forms with fetch() and update the page in place.
 * Without JavaScript (or when fetch fails) the forms post normally and the server
 * redirects back, so this file only makes things smoother, never possible.
 * _star.html loads it once per star, hence the guard: listeners are bound once.
 */
(function () {
  "use strict";
  if (window.newsroomFavorites) {
    return;
  }
  window.newsroomFavorites = true;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Not form.action: the form has a field named "action", which shadows that property.
  function target(form) {
    return new URL(form.getAttribute("action"), document.baseURI).href;
  }

  function send(form) {
    return fetch(target(form), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "X-CSRFToken": csrfToken(form),
      },
    });
  }

  // The same article can have several stars on a page (a card and "More from"): update all.
  function showStar(url, saved) {
    var forms = document.querySelectorAll("form[data-favorite-star]");
    forms.forEach(function (form) {
      if (target(form) !== url) {
        return;
      }
      var button = form.querySelector("button");
      var label = form.querySelector(".favorite-star__label");
      form.querySelector("input[name=action]").value = saved ? "remove" : "add";
      button.setAttribute("aria-pressed", saved ? "true" : "false");
      button.title = saved ? button.dataset.hintSaved : button.dataset.hintSave;
      if (label) {
        label.textContent = saved ? button.dataset.labelSaved : button.dataset.labelSave;
      }
    });
  }

  function removeItem(form) {
    var item = form.closest("[data-favorite-item]");
    var list = form.closest("[data-favorite-list]");
    if (item) {
      item.remove();
    }
    // The last item gone: reload the list so that its empty state (or the previous
    // page) shows, as it would without JavaScript.
    if (list && !list.querySelector("[data-favorite-item]")) {
      window.location.assign(list.dataset.emptyUrl || window.location.href);
    }
  }

  async function handle(form, onSuccess) {
    var button = form.querySelector("button");
    button.disabled = true;
    try {
      var response = await send(form);
      if (response.status === 401) {
        // Signed out meanwhile (e.g. in another tab): the server remembered the click
        // and says where to sign in.
        var body = await response.json();
        window.location.assign(body.login_url);
        return;
      }
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      onSuccess(await response.json());
    } catch (error) {
      // Let the server handle it the plain way (and show its error page if there is one).
      form.submit();
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !window.fetch) {
      return;
    }
    // A reader who is not signed in leaves the page for the sign-in form anyway: the
    // plain POST does that, and the server remembers the click for after sign-in.
    if (form.matches("form[data-favorite-star]:not([data-needs-login])")) {
      event.preventDefault();
      handle(form, function (data) {
        showStar(target(form), data.saved);
      });
    } else if (form.matches("form[data-favorite-remove]")) {
      event.preventDefault();
      handle(form, function () {
        removeItem(form);
      });
    }
  });
})();
