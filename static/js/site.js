/* newsroom: the little JavaScript the reader pages use. No build step, no inline code
   (the CSP allows scripts from our origin only). Everything here is an enhancement:
   without it, timestamp links reload the page at ?t=SECONDS and the player starts there. */
(function () {
  "use strict";

  var THEME_KEY = "newsroom:theme";
  var SPEED_KEY = "newsroom:speed";
  var YOUTUBE_ORIGIN = "https://www.youtube-nocookie.com";
  var root = document.documentElement;

  function load(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (e) {
      return null; // storage disabled (private mode, strict settings): just forget
    }
  }

  function save(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (e) {
      /* same as above */
    }
  }

  // Runs at once (this file is loaded in <head>), so a dark page never flashes light.
  var savedTheme = load(THEME_KEY);
  if (savedTheme === "dark" || savedTheme === "light") {
    root.setAttribute("data-theme", savedTheme);
  }

  function currentTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen) {
      return chosen;
    }
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    return dark ? "dark" : "light";
  }

  function setUpThemeToggle() {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) {
      return;
    }
    // The button names the action it takes ("Dark mode" while the page is light), in
    // the page's language: both names come from the template.
    var label = button.querySelector("[data-theme-label]");
    function sync() {
      var current = currentTheme();
      button.setAttribute("data-current", current);
      if (label) {
        label.textContent = button.getAttribute(
          current === "dark" ? "data-label-light" : "data-label-dark"
        );
      }
    }
    button.hidden = false;
    sync();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      save(THEME_KEY, next);
      sync();
    });
    if (window.matchMedia) {
      var query = window.matchMedia("(prefers-color-scheme: dark)");
      if (query.addEventListener) {
        query.addEventListener("change", sync);
      }
    }
  }

  /* ---- Players: one small interface over <audio>/<video> and the YouTube embed ---- */

  function mediaPlayer(media) {
    return {
      seek: function (seconds, play) {
        media.currentTime = seconds;
        if (play) {
          var started = media.play();
          // A refused autoplay is not an error worth reporting: the reader can press play.
          if (started && started.catch) {
            started.catch(function () {});
          }
        }
      },
      setRate: function (rate) {
        media.defaultPlaybackRate = rate;
        media.playbackRate = rate;
      },
      onTime: function (callback) {
        media.addEventListener("timeupdate", function () {
          callback(media.currentTime);
        });
      }
    };
  }

  // The YouTube iframe API script would need script-src youtube.com; the embed's own
  // postMessage protocol (enablejsapi=1) gives seeking and the current time without it.
  function youtubePlayer(iframe) {
    var listeners = [];
    var answered = false;
    var rate = 1;

    function send(message) {
      if (iframe.contentWindow) {
        iframe.contentWindow.postMessage(JSON.stringify(message), YOUTUBE_ORIGIN);
      }
    }

    function command(func, args) {
      send({ event: "command", func: func, args: args || [], id: iframe.id });
    }

    window.addEventListener("message", function (event) {
      if (event.origin !== YOUTUBE_ORIGIN || event.source !== iframe.contentWindow) {
        return;
      }
      var data;
      try {
        data = typeof event.data === "string" ? JSON.parse(event.data) : event.data;
      } catch (e) {
        return;
      }
      answered = true;
      if (data && data.event === "onReady" && rate !== 1) {
        command("setPlaybackRate", [rate]);
      }
      if (data && data.info && typeof data.info.currentTime === "number") {
        listeners.forEach(function (callback) {
          callback(data.info.currentTime);
        });
      }
    });

    iframe.addEventListener("load", function () {
      send({ event: "listening", id: iframe.id, channel: "widget" });
    });

    return {
      seek: function (seconds, play) {
        if (answered) {
          command("seekTo", [seconds, true]);
          if (play) {
            command("playVideo");
          }
          return;
        }
        // The player never answered (blocked, still loading): restart it at that second.
        var url = new URL(iframe.src);
        url.searchParams.set("start", String(Math.floor(seconds)));
        url.searchParams.set("autoplay", play ? "1" : "0");
        iframe.src = url.toString();
      },
      setRate: function (value) {
        rate = value;
        command("setPlaybackRate", [value]);
      },
      onTime: function (callback) {
        listeners.push(callback);
      }
    };
  }

  function findPlayer() {
    var media = document.querySelector("[data-media]");
    if (media) {
      return mediaPlayer(media);
    }
    var iframe = document.querySelector("iframe[data-youtube]");
    return iframe ? youtubePlayer(iframe) : null;
  }

  /* ---- Transcript: highlight the line being played ---------------------------- */

  function setUpTranscript(player) {
    var box = document.querySelector("[data-transcript]");
    if (!box) {
      return;
    }
    var lines = Array.prototype.slice
      .call(box.querySelectorAll(".line[data-start]"))
      .map(function (element) {
        return { element: element, start: parseFloat(element.getAttribute("data-start")) };
      })
      .filter(function (line) {
        return !isNaN(line.start);
      });
    if (!lines.length) {
      return;
    }
    var current = null;

    function lineAt(seconds) {
      // Binary search: transcripts can have thousands of lines and timeupdate is frequent.
      var low = 0;
      var high = lines.length - 1;
      var found = -1;
      while (low <= high) {
        var middle = (low + high) >> 1;
        if (lines[middle].start <= seconds) {
          found = middle;
          low = middle + 1;
        } else {
          high = middle - 1;
        }
      }
      return found >= 0 ? lines[found].element : null;
    }

    player.onTime(function (seconds) {
      var element = lineAt(seconds);
      if (element === current) {
        return;
      }
      if (current) {
        current.classList.remove("is-current");
        current.removeAttribute("aria-current");
      }
      current = element;
      if (!element) {
        return;
      }
      element.classList.add("is-current");
      element.setAttribute("aria-current", "true");
      // Keep the line in view inside the transcript box only: the page never jumps.
      var top = element.offsetTop;
      var bottom = top + element.offsetHeight;
      if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) {
        box.scrollTop = Math.max(0, top - box.clientHeight / 3);
      }
    });
  }

  /* ---- Playback speed, remembered ------------------------------------------------ */

  function setUpSpeed(player) {
    var control = document.querySelector("[data-speed-control]");
    var select = document.querySelector("[data-speed]");
    if (!control || !select) {
      return;
    }
    control.hidden = false;
    var saved = load(SPEED_KEY);
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === saved;
    });
    if (known) {
      select.value = saved;
      player.setRate(parseFloat(saved));
    }
    select.addEventListener("change", function () {
      save(SPEED_KEY, select.value);
      player.setRate(parseFloat(select.value));
    });
  }

  /* ---- Timestamp links: seek instead of reloading ------------------------------- */

  function secondsFromHash() {
    var match = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
    return match ? parseFloat(match[1]) : null;
  }

  function setUpSeeking(player) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("[data-seek]") : null;
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
        return;
      }
      var seconds = parseFloat(link.getAttribute("data-seek"));
      if (isNaN(seconds)) {
        return;
      }
      event.preventDefault();
      player.seek(seconds, true);
      // A shareable address for this moment (#t= is read back on load, below).
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#t=" + Math.floor(seconds));
      }
    });
    var start = secondsFromHash();
    if (start !== null) {
      player.seek(start, false);
    }
  }

  function setUpPlayer() {
    var player = findPlayer();
    if (!player) {
      return;
    }
    setUpSeeking(player);
    setUpSpeed(player);
    setUpTranscript(player);
  }

  function start() {
    setUpThemeToggle();
    setUpPlayer();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
