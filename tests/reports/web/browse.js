// browse.js SITE OUTDIR CHROMIUM: a person's way through the site in the system's Chromium,
// driven by puppeteer-core, from file:// with no server: the search finds ports and people as
// typed, "compressnet" leads to port 3, whose page shows the de-assignment of 2025-02-13 with
// its date and links to that change set, which links back. No request may leave the site's
// folder. Screenshots go to OUTDIR. Prints "FAIL: ..." lines and exits 1 on any failure.
"use strict";
const path = require("path");
const puppeteer = require("puppeteer-core");

const [site, outdir, chrome] = process.argv.slice(2);
const root = "file://" + path.resolve(site) + "/";
let failed = 0;
const bad = (msg) => { console.log("FAIL: " + msg); failed = 1; };
const outside = [];

async function search(page, q) {
	await page.goto(root + "search.html", {waitUntil: "load"});
	await page.type("#q", q);
	await page.waitForFunction(() => /\(\d+(\.\d)? ms\)$/.test(document.getElementById("status").textContent),
		{timeout: 5000});
	return page.evaluate(() => ({
		status: document.getElementById("status").textContent,
		links: [...document.querySelectorAll("#results a")].map((a) => a.getAttribute("href")),
		text: document.getElementById("results").innerText,
	}));
}

(async () => {
	const browser = await puppeteer.launch({
		executablePath: chrome, headless: true,
		args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		       "--disable-component-update", "--disable-sync", "--disable-extensions"],
	});
	try {
		const page = await browser.newPage();
		await page.setViewport({width: 1024, height: 900});
		await page.setRequestInterception(true);
		page.on("request", (req) => {
			const u = req.url();
			if (u.startsWith(root) || u.startsWith("data:") || u === "about:blank") {
				req.continue();
			} else {
				outside.push(u);
				req.abort();
			}
		});
		page.on("pageerror", (e) => bad("script error: " + e.message));

		// What people type finds the right ports and people at once.
		const want = {
			"3": {links: ["ports/3.html"]},
			"compress": {links: ["ports/2.html", "ports/3.html"]},
			"CompressNET": {links: ["ports/2.html", "ports/3.html"]},
			"Bernie Volz": {text: "Bernie Volz, Bernie_Volz: 2 compressnet, 3 compressnet", links: ["ports/2.html"]},
			"dynamic": {text: "Dynamic and/or Private Ports"},
			"6000-6003": {links: ["ports/6000.html", "ports/6003.html"]},
		};
		for (const [q, w] of Object.entries(want)) {
			const r = await search(page, q);
			for (const l of w.links || [])
				if (!r.links.includes(l)) bad(`search '${q}' lacks ${l}: ${r.status}`);
			if (w.text && !r.text.includes(w.text)) bad(`search '${q}' lacks '${w.text}': ${r.status}`);
			const ms = parseFloat(r.status.replace(/.*\((\S+) ms\)$/, "$1"));
			if (!(ms < 50)) bad(`search '${q}' took ${ms} ms`);
			console.log(`search '${q}': ${r.status}`);
		}
		if ((await search(page, "3")).links[0] !== "ports/3.html") bad("'3' does not list port 3 first");

		// compressnet -> port 3 -> the change set of 2025-02-13 -> back.
		await search(page, "compressnet");
		await page.screenshot({path: path.join(outdir, "search.png")});
		await Promise.all([page.waitForNavigation(), page.click('#results a[href="ports/3.html"]')]);
		if (!page.url().endsWith("/ports/3.html")) bad("the result did not lead to port 3: " + page.url());
		const h3 = await page.$$eval("h3", (hs) => hs.map((h) => h.textContent));
		const gone = h3.find((t) => t.startsWith("2025-02-13") && /de-assigned/.test(t));
		if (!gone) bad("port 3 does not show the de-assignment of 2025-02-13: " + h3.join(" | "));
		const body = await page.evaluate(() => document.body.innerText);
		for (const t of ["Port 3", "3/tcp", "3/udp", "compressnet", "Bernie Volz", "2017-03-10 to 2025-01-23"])
			if (!body.includes(t)) bad("port 3's page lacks " + t);
		await page.screenshot({path: path.join(outdir, "port-3.png"), fullPage: true});
		await Promise.all([page.waitForNavigation(),
			page.click('h3 a[href^="../changes/2025-02-13_"]')]);
		if (!/\/changes\/2025-02-13_[0-9a-f]{12}\.html$/.test(page.url())) bad("no change set page: " + page.url());
		const setText = await page.evaluate(() => document.body.innerText);
		if (!setText.includes("2/tcp compressnet")) bad("the change set lacks 2/tcp compressnet");
		if (!(await page.$('a[href="../ports/3.html"]'))) bad("the change set does not link port 3");
		await page.screenshot({path: path.join(outdir, "change-set.png")});
		await Promise.all([page.waitForNavigation(), page.click('a[href="../ports/3.html"]')]);
		if (!page.url().endsWith("/ports/3.html")) bad("the change set's link did not lead back to port 3");
		await page.goBack();
		if (!/\/changes\/2025-02-13_/.test(page.url())) bad("back did not return to the change set");

		// The index: charts and their links, dark scheme, and a keyboard user reaches the search.
		await page.emulateMediaFeatures([{name: "prefers-color-scheme", value: "dark"}]);
		await page.goto(root + "index.html", {waitUntil: "load"});
		const svgLinks = await page.$$eval("svg a", (as) => as.map((a) => a.getAttribute("href")));
		if (!svgLinks.some((h) => /^changes\/2025-02-13_/.test(h))) bad("the charts do not link the change sets");
		await page.keyboard.press("Tab");
		const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
		if (!focused) bad("Tab focuses nothing on the index");
		await page.screenshot({path: path.join(outdir, "index-dark.png"), fullPage: true});
	} catch (e) {
		bad(String(e && e.stack || e));
	} finally {
		await browser.close();
	}
	if (outside.length) bad("requests left the site's folder: " + outside.slice(0, 5).join(" "));
	if (!failed) console.log("browse: ok");
	process.exit(failed);
})();
