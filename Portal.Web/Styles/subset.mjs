// Cuts MudBlazor's stylesheet down to the rules the public pages use, into ../wwwroot/css/mud-public.css.
// The public pages render MudBlazor's layout and display components on the server, so the classes they use are in
// their HTML: this reads the pages from a running portal (demo data), in every state they have, and keeps the rules
// PurgeCSS finds used, plus every alert severity (a page may show any) and the
// result badges (chips).
//
//   npm ci && node subset.mjs [http://localhost:5000] [extra paths…]
//
// Portal.Tests/Site/LightPagesTests.cs checks that every MudBlazor class a public page uses has its rules here.
import { PurgeCSS } from "purgecss";
import { writeFile } from "node:fs/promises";

const base = process.argv[2] ?? "http://localhost:5000";
const q = (text) => "/?q=" + encodeURIComponent(text);
const paths = [
  "/", q("张"), q("zhangsan"), q("章三"), q("洛阳市"), q("洛阳"), q("恒达建筑"), q("（2019）豫0311执99999号"), q("4127021984****1512"),
  "/?year=abc", "/?q=" + encodeURIComponent("张") + "&page=999", "/browse", "/browse?province=" + encodeURIComponent("河南"),
  "/statistics", "/notices", "/notices?page=2", "/data", "/terms", "/apply", "/apply/correction", "/apply/reconsideration",
  "/apply/credit-repair", "/apply/complaint", "/track", "/track/0000-0000-0000-0000", "/verify/batch", "/verify/0000000000000000",
  "/no-such-page", ...process.argv.slice(3),
];

const pages = [];
async function read(path) {
  const response = await fetch(base + path, { redirect: "follow" });
  const html = await response.text();
  pages.push({ raw: html, extension: "html" });
  return html;
}
for (const path of paths) await read(path);
// An entry's page and the deeper browse levels, found from the pages above.
const results = pages.map((p) => p.raw).join("\n");
const entry = results.match(/href="(\/entries\/[a-z0-9]{16})/);
if (entry) await read(entry[1]);
const city = pages.map((p) => p.raw).join("\n").match(/href="(\/browse\?[^"]*city=[^"]+)"/);
if (city) {
  const courts = await read(city[1].replaceAll("&amp;", "&"));
  const court = courts.match(/href="(\/browse\?[^"]*court=[^"]+)"/);
  if (court) {
    const months = await read(court[1].replaceAll("&amp;", "&"));
    const month = months.match(/href="(\/browse\?[^"]*month=[^"]+)"/);
    if (month) await read(month[1].replaceAll("&amp;", "&"));
  }
}

const css = await (await fetch(base + "/_content/MudBlazor/MudBlazor.min.css")).text();
const [result] = await new PurgeCSS().purge({
  content: pages,
  css: [{ raw: css }],
  variables: true,
  keyframes: true,
  fontFace: true,
  safelist: {
    greedy: [/^mud-alert-(text|filled|outlined)-(error|warning|info|success|normal)/], // a page may show any severity
    // The match badges of a result (拼音, 读音相近): the demo data may hold no pinyin or homophone match to sample.
    standard: ["mud-chip", "mud-chip-container", "mud-chip-content", "mud-chip-outlined", "mud-chip-size-small", "mud-chip-color-warning", "mud-chip-color-default"],
  },
});
const header = `/* MudBlazor ${process.env.MUDBLAZOR_VERSION ?? "9.12.0"} (MIT, https://mudblazor.com) cut to the rules the public pages use, by PurgeCSS 8.0.0:
   Portal.Web/Styles/subset.mjs, from ${pages.length} pages of a portal with demo data. The office loads the whole stylesheet. */
`;
await writeFile(new URL("../wwwroot/css/mud-public.css", import.meta.url), header + result.css + "\n");
console.log(`${pages.length} pages read; ${css.length} bytes of MudBlazor's CSS cut to ${result.css.length}`);
