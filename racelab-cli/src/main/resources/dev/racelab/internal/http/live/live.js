// racelab's live page: picks a race, starts it through POST /races and draws its Server-Sent
// Events. Served from the jar under a CSP of 'self' only: no inline script or style, no other origin.
"use strict";

(function () {
  var $ = function (id) { return document.getElementById(id); };
  var options = null;       // GET /races's options
  var events = null;        // the EventSource of the race on screen
  var race = null;          // that race's details (GET /races/{id})
  var latency = [];         // [p50, p99] per tick
  var rates = [];           // ops/s per tick
  var fields = ["scenario", "strategy", "concurrency", "operations", "token"];

  function number(n) { return Number(n).toLocaleString("en-US"); }

  function money(minor) {
    var sign = minor < 0 ? "-" : "";
    var abs = Math.abs(minor);
    var whole = Math.floor(abs / 100);
    var cents = String(abs % 100);
    return sign + number(whole) + "." + (cents.length < 2 ? "0" + cents : cents);
  }

  // A cell's value as the page shows it: money for a balance, units for stock.
  function value(v) { return race && race.money ? money(v) : number(v); }

  function text(id, s) { $(id).textContent = s; }

  function showError(message, field) {
    var box = $("error");
    box.textContent = message;
    box.hidden = false;
    fields.forEach(function (f) { $(f).classList.toggle("invalid", f === field); });
  }

  function clearError() {
    $("error").hidden = true;
    $("error").textContent = "";
    fields.forEach(function (f) { $(f).classList.remove("invalid"); });
  }

  function scenario() {
    var id = $("scenario").value;
    return options.scenarios.filter(function (s) { return s.id === id; })[0];
  }

  function option(select, value, label, title) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    if (title) o.title = title;
    select.appendChild(o);
    return o;
  }

  // Every strategy of the registry: the ones that fit first, then the ones that do not, each with its reason.
  function fillStrategies(keep) {
    var select = $("strategy");
    select.textContent = "";
    var groups = [["safe", function (c) { return !c.problem && c.safe; }],
                  ["unsafe: loses updates", function (c) { return !c.problem && !c.safe; }],
                  ["cannot run on this server", function (c) { return !!c.problem; }]];
    groups.forEach(function (g) {
      var group = document.createElement("optgroup");
      group.label = g[0];
      scenario().strategies.filter(g[1]).forEach(function (c) { option(group, c.name, c.name, c.problem || c.how); });
      if (group.children.length) select.appendChild(group);
    });
    if (keep && !choice(keep)) option(select, keep, keep + " (not a strategy)");
    if (keep) select.value = keep;
    describeStrategy();
  }

  function choice(name) {
    return scenario().strategies.filter(function (c) { return c.name === name; })[0];
  }

  function describeStrategy() {
    var c = choice($("strategy").value);
    text("strategy-about", !c ? "racelab has no strategy by this name." : c.problem ? "Cannot run here: " + c.problem : c.how);
    $("strategy-about").classList.toggle("problem", !!(c && c.problem));
  }

  function setUp(o) {
    options = o;
    var who = !o.startAllowed ? "Races cannot be started on this server: start racelab serve with --demo or --admin-token."
      : o.tokenRequired ? "Starting a race needs the server's admin token (sent as " + o.tokenHeader + ")."
      : "Anyone may start a race (--demo).";
    text("server", "Store " + o.store + ". At most " + o.racesAtOnce + " race" + (o.racesAtOnce > 1 ? "s" : "")
      + " at once, each up to " + number(o.operations.max) + " operations and " + o.maxSeconds + " s. " + who
      + (o.naiveGap ? " In these races " + o.naiveGap + "." : ""));
    o.scenarios.forEach(function (s) { option($("scenario"), s.id, s.label); });
    text("concurrency-hint", "from " + number(o.concurrency.min) + " to " + number(o.concurrency.max));
    text("operations-hint", "one per client at least, " + number(o.operations.max) + " at most");
    text("token-hint", o.tokenRequired ? "required on this server" : "not needed here");
    var query = new URLSearchParams(location.search);
    if (query.get("scenario")) $("scenario").value = query.get("scenario");
    if (!$("scenario").value) $("scenario").selectedIndex = 0;
    text("scenario-about", scenario().description);
    fillStrategies(query.get("strategy") || "naive");
    $("concurrency").value = query.get("concurrency") || o.concurrency["default"];
    $("operations").value = query.get("operations") || o.operations["default"];
    $("start").disabled = false;
  }

  // A number field as typed: a whole number goes as one, anything else as typed, for the server to refuse by name.
  function wholeOrText(id) {
    var raw = $(id).value.trim();
    if (raw === "") return null;
    return /^-?[0-9]+$/.test(raw) ? Number(raw) : raw;
  }

  function start() {
    clearError();
    var body = { scenario: $("scenario").value, strategy: $("strategy").value,
                 concurrency: wholeOrText("concurrency"), operations: wholeOrText("operations") };
    var headers = { "Content-Type": "application/json" };
    if ($("token").value) headers[options.tokenHeader] = $("token").value;
    $("start").disabled = true;
    fetch("/races", { method: "POST", headers: headers, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, json: j }; }); })
      .then(function (a) {
        if (a.status === 201) { watch(a.json.id); return; }
        $("start").disabled = false;
        var message = a.json.error || ("the server answered " + a.status);
        if (a.status === 401) showError("401: " + message + ". Fill in the admin token.", "token");
        else if (a.status === 409 && a.json.running && a.json.running.length) {
          showError("409: " + message, null);
          watch(a.json.running[0]);
        } else showError(a.status + ": " + message, a.json.field || null);
      })
      .catch(function (e) { $("start").disabled = false; showError("The request failed: " + e.message, null); });
  }

  function watch(id) {
    if (events) events.close();
    latency = [];
    rates = [];
    race = null;
    $("race").hidden = false;
    $("verdict-box").hidden = true;
    $("verdict-box").className = "";
    $("race").dataset.state = "running";
    $("race").dataset.id = id;
    text("status", "connecting…");
    events = new EventSource("/races/" + encodeURIComponent(id) + "/events");
    events.addEventListener("race", function (e) { describe(JSON.parse(e.data)); });
    events.addEventListener("tick", function (e) { tick(JSON.parse(e.data)); });
    events.addEventListener("done", function (e) {
      events.close();
      events = null;
      finish(JSON.parse(e.data));
    });
    events.onerror = function () { if (events) text("status", "connection lost; reconnecting…"); };
  }

  function describe(r) {
    race = r;
    text("title", r.strategy + " on the " + r.scenario + " race, " + number(r.concurrency) + " client" + (r.concurrency > 1 ? "s" : "")
      + " at once");
    text("planned", "of " + number(r.planned));
    text("acknowledged-label", r.money ? "balance acknowledged" : "stock acknowledged");
    text("stored-label", r.money ? "balance stored" : "stock stored");
    $("oversold-tile").hidden = r.money;
    $("refused-tile").hidden = r.money;
    text("status", "running (race " + r.id + ")");
  }

  function tick(t) {
    text("inflight", number(t.inFlight));
    text("done", number(t.done));
    text("acknowledged", value(t.acknowledged));
    text("stored", value(t.stored));
    showLost(t.lost, t.oversold);
    text("retries", number(t.retries));
    text("conflicts", number(t.conflicts));
    text("refused", number(t.refused));
    latency.push([t.p50Ms, t.p99Ms]);
    rates.push(t.opsPerSec);
    text("latency-now", "now p50 " + t.p50Ms + ", p99 " + t.p99Ms);
    text("rate-now", "now " + number(t.opsPerSec));
    spark($("latency"), [latency.map(function (l) { return l[1]; }), latency.map(function (l) { return l[0]; })], ["p99", "p50"]);
    spark($("rate"), [rates], ["rate"]);
  }

  // Lost in operations (and in money for a balance): the cell's units divided by what one operation changes.
  function showLost(lostUnits, oversold) {
    var per = race ? Math.abs(race.delta) : 1;
    text("lost", number(Math.floor(lostUnits / per)));
    text("lost-value", race && race.money && lostUnits > 0 ? money(lostUnits) + " missing" : "");
    text("oversold", number(oversold));
    $("lost").parentNode.classList.toggle("hot", lostUnits > 0);
    $("oversold").parentNode.classList.toggle("hot", oversold > 0);
  }

  function finish(r) {
    describe(r);
    $("start").disabled = false;
    $("race").dataset.state = r.state;
    if (r.state === "failed") {
      text("status", "the race could not finish: " + r.failure);
      return;
    }
    var res = r.result;
    text("done", number(res.invoked));
    text("inflight", "0");
    text("acknowledged", value(res.expected));
    text("stored", value(res.actual));
    showLost(res.lostUpdates, res.oversold);
    text("retries", number(res.retries));
    text("status", "done: " + number(res.invoked) + " operations in " + (res.durationMs / 1000).toFixed(1) + " s, "
      + number(Math.round(res.opsPerSec)) + " ops/s, p99 " + res.latencyMs.p99 + " ms" + (r.stoppedAtLimit ? " (stopped at the time limit)" : ""));
    text("verdict", res.verdict);
    text("sentence", r.sentence);
    $("verdict-box").className = res.verdict === "PASS" ? "pass" : "fail";
    $("verdict-box").hidden = false;
    $("json").href = "/races/" + encodeURIComponent(r.id);
  }

  // A sparkline: each series as a polyline scaled to the highest value of them all.
  function spark(svg, series, classes) {
    var w = 400, h = 80, pad = 4;
    var max = 0, n = 0;
    series.forEach(function (s) { s.forEach(function (v) { if (v > max) max = v; }); n = Math.max(n, s.length); });
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    if (n === 0) return;
    series.forEach(function (s, i) {
      var points = s.map(function (v, x) {
        var px = n === 1 ? w / 2 : x * (w / (n - 1));
        var py = h - pad - (max === 0 ? 0 : v / max * (h - 2 * pad));
        return px.toFixed(1) + "," + py.toFixed(1);
      });
      var line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
      line.setAttribute("points", points.join(" "));
      line.setAttribute("class", classes[i]);
      svg.appendChild(line);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("start").addEventListener("click", start);
    $("scenario").addEventListener("change", function () {
      text("scenario-about", scenario().description);
      fillStrategies($("strategy").value);
    });
    $("strategy").addEventListener("change", describeStrategy);
    fetch("/races")
      .then(function (r) { return r.json(); })
      .then(function (j) {
        setUp(j.options);
        var running = j.races.filter(function (r) { return r.state === "running"; })[0];
        if (running) watch(running.id);
      })
      .catch(function (e) { showError("Cannot read what this server can race: " + e.message, null); });
  });
})();
