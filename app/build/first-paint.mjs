// The page first, then the app. Rewrites the main build's DIR/index.html, which the server fills
// with the page drawn for a first visit (server/src/routes/first_page.rs): Trunk's loader fetches
// the app's script and wasm at once, and preloads them from <head>, so on a slow network the
// 420 KB wasm shares the line with the stylesheets the first paint waits for. Here the preloads
// go and the loader waits until the browser has painted the page (at most 200 ms: a tab opened
// in the background paints nothing), then imports the script and starts the wasm, as Trunk's did.
// A small script in <head> marks a person's own screens on a device with a session (below).
// Run after the Trunk builds, before stamp-sw.mjs and precompress.mjs (scripts/lib.sh,
// build_client), or by hand:
//   node app/build/first-paint.mjs dist
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node first-paint.mjs DIR");
  process.exit(2);
}
const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");
const MARK = "// The page first, then the app";
if (html.includes(MARK)) {
  console.log(`${file}: already waits for the first paint`);
  process.exit(0);
}

// Trunk's loader: `import init, * as bindings from '/app-….js';` then
// `const wasm = await init({ module_or_path: '/app-…_bg.wasm' });`, then the bindings and the event.
const loader = /<script type="module">\s*import init, \* as bindings from '([^']+)';\s*const wasm = await init\(\{ module_or_path: '([^']+)' \}\);([\s\S]*?)<\/script>/;
const found = html.match(loader);
if (!found) {
  console.error(`${file}: Trunk's loader is not in the shape this step knows (a new Trunk?)`);
  process.exit(1);
}
const [whole, script, wasm, rest] = found;
const replacement = `<script type="module">
${MARK}: once the page is painted (at most 200 ms), the app's files (app/build/first-paint.mjs).
await new Promise((painted) => {
  requestAnimationFrame(() => setTimeout(painted));
  setTimeout(painted, 200);
});
const bindings = await import('${script}');
const init = bindings.default;
const wasm = await init({ module_or_path: '${wasm}' });${rest}</script>`;
html = html.replace(whole, replacement);

// The screens that are the person's own (/me…) are drawn for someone signed out. On a device
// with a session their content waits for the app (style/base.css, `.qt-personal`), rather than
// show a signed-in person the sign-in prompt; the app removes the class when it takes over.
const personal = `<script>
try {
  if (/^\\/me(\\/|$)/.test(location.pathname) && localStorage.getItem("qingtuan.session")) {
    document.documentElement.classList.add("qt-personal");
  }
} catch (e) {}
</script>`;
html = html.replace("</head>", `${personal}</head>`);

// The preloads of the app's own files: they would start before the first paint.
const before = html.length;
html = html.replace(/<link rel="(?:modulepreload|preload)" href="\/(?:app-|snippets\/)[^"]*"[^>]*>/g, "");
if (html.length === before) {
  console.error(`${file}: no preload of the app's files found (a new Trunk?)`);
  process.exit(1);
}
writeFileSync(file, html);
console.log(`${file}: the app's files are fetched once the page is painted`);
