/* search.js: the site's search, in the browser, from search-index.js (IW_INDEX): no server,
 * works from file://. Ports by number or range, service names in any case, people by name
 * or id, and description words. */
(function () {
	"use strict";
	var I = window.IW_INDEX, input = document.getElementById("q");
	var status = document.getElementById("status"), out = document.getElementById("results");
	if (!I || !input) {
		if (status) status.textContent = "The search index (search-index.js) did not load.";
		return;
	}
	var ports = I.ports.filter(function (p) { return p[0] >= 0; });
	var people = I.people, byId = {}, hay = [], phay = [], i;
	for (i = 0; i < people.length; i++) {
		byId[people[i][0]] = people[i];
		phay.push((people[i][0] + " " + people[i][1] + " " + people[i][2]).toLowerCase());
	}
	for (i = 0; i < ports.length; i++) {
		var p = ports[i], names = [];
		p[4].split(" ").forEach(function (id) {
			var who = byId[id];
			if (who) names.push(who[1], who[2]);
		});
		hay.push((p[1] + " " + p[2] + " " + p[3] + " " + p[4] + " " + names.join(" ")).toLowerCase());
	}
	var DYNAMIC = "49152-65535: the Dynamic and/or Private Ports (RFC 6335), never assigned";

	function el(tag, text, href) {
		var e = document.createElement(tag);
		if (href) {
			var a = document.createElement("a");
			a.href = href;
			a.textContent = text;
			e.appendChild(a);
		} else if (text) {
			e.textContent = text;
		}
		return e;
	}
	function portItem(p) {
		var li = el("li", String(p[0]), "ports/" + p[0] + ".html");
		var rest = (p[1] ? " " + p[1] : "") + (p[2] ? ": " + p[2] : "");
		li.appendChild(document.createTextNode(rest));
		return li;
	}
	function rank(p, q) {
		var names = " " + p[1].toLowerCase() + " ";
		if (names.indexOf(" " + q + " ") >= 0) return 0;
		if (names.indexOf(" " + q) >= 0) return 1;
		if (names.indexOf(q) >= 0) return 2;
		return 3;
	}
	function search(raw) {
		var t0 = performance.now(), q = raw.trim().toLowerCase(), found = [], who = [], m;
		var notes = [];
		out.textContent = "";
		if (!q) {
			status.textContent = "";
			return;
		}
		if ((m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(q))) {
			var lo = +m[1], hi = m[2] ? +m[2] : lo;
			for (i = 0; i < ports.length; i++)
				if (ports[i][0] >= lo && ports[i][0] <= hi) found.push(ports[i]);
			if (hi >= 49152 && lo <= 65535) notes.push(DYNAMIC);
		} else {
			var terms = q.split(/\s+/), ranks = [];
			for (i = 0; i < ports.length; i++) {
				var ok = true;
				for (var k = 0; k < terms.length && ok; k++) ok = hay[i].indexOf(terms[k]) >= 0;
				if (ok) found.push(ports[i]);
			}
			found.forEach(function (p) { ranks.push([rank(p, q), p]); });
			ranks.sort(function (a, b) { return a[0] - b[0] || a[1][0] - b[1][0]; });
			found = ranks.map(function (x) { return x[1]; });
			for (i = 0; i < people.length; i++) {
				var hit = true;
				for (var k2 = 0; k2 < terms.length && hit; k2++) hit = phay[i].indexOf(terms[k2]) >= 0;
				if (hit) who.push(people[i]);
			}
			if (DYNAMIC.toLowerCase().indexOf(q) >= 0) notes.push(DYNAMIC);
		}
		var ms = performance.now() - t0;
		notes.forEach(function (n) { out.appendChild(el("p", n)); });
		if (who.length) {
			out.appendChild(el("h2", "People (" + who.length + ")"));
			var ul = el("ul");
			who.slice(0, 50).forEach(function (w) {
				var li = el("li", w[1] + (w[2] ? " (" + w[2] + ")" : "") + ", " + w[0] + ": ");
				var theirs = ports.filter(function (p) { return (" " + p[4] + " ").indexOf(" " + w[0] + " ") >= 0; });
				theirs.slice(0, 40).forEach(function (p, n) {
					if (n) li.appendChild(document.createTextNode(", "));
					var a = document.createElement("a");
					a.href = "ports/" + p[0] + ".html";
					a.textContent = p[0] + (p[1] ? " " + p[1] : "");
					li.appendChild(a);
				});
				if (!theirs.length) li.appendChild(document.createTextNode("no port"));
				ul.appendChild(li);
			});
			out.appendChild(ul);
		}
		if (found.length) {
			out.appendChild(el("h2", "Ports (" + found.length + ")"));
			var ol = el("ul");
			found.slice(0, 200).forEach(function (p) { ol.appendChild(portItem(p)); });
			out.appendChild(ol);
			if (found.length > 200) out.appendChild(el("p", "and " + (found.length - 200) + " more: narrow the search."));
		}
		status.textContent = (found.length + who.length + notes.length ? found.length + " port" +
			(found.length === 1 ? "" : "s") + ", " + who.length + " " +
			(who.length === 1 ? "person" : "people") : "Nothing found") +
			" (" + ms.toFixed(1) + " ms)";
	}
	var timer = 0;
	input.addEventListener("input", function () {
		clearTimeout(timer);
		timer = setTimeout(function () { search(input.value); }, 60);
	});
	document.getElementById("search").addEventListener("submit", function (e) {
		e.preventDefault();
		history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
		search(input.value);
	});
	var q0 = new URLSearchParams(location.search).get("q");
	if (q0) {
		input.value = q0;
		search(q0);
	}
})();
