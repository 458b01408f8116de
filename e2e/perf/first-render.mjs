// First render of the public pages under a slow phone's conditions, measured in Debian's
// Chromium through Playwright (no Lighthouse needed; README's "The SPA's weight" has both
// figures). Each run opens a fresh
// browser context (empty cache) and times from navigation start until the page's heading is
// visible, with the network throttled as Lighthouse's mobile profile does (150 ms round trip,
// 1.6 Mbit/s down, 750 kbit/s up) and, optionally, the CPU slowed down.
//
//   node e2e/perf/first-render.mjs http://localhost:18080 [runs] [cpu slowdown]
//
// It prints one line per page and profile: the median first render, the bytes the browser
// received (as sent, compressed) and the number of requests.
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://localhost:18080';
const runs = Number(process.argv[3] ?? 3);
const cpu = Number(process.argv[4] ?? 1);

const pages = [
  { name: 'home', path: '/', heading: 'h1' },
  { name: 'sign-in', path: '/signin', heading: 'h1:text("Sign in")' },
];
const profiles = [
  { name: 'unthrottled', network: null },
  { name: '9 Mbit/s, 40 ms', network: { latency: 40, down: 9e6, up: 9e6 } },
  { name: '1.6 Mbit/s, 150 ms', network: { latency: 150, down: 1.6e6, up: 750e3 } },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic'],
});

async function once(page, profile) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (profile.network) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.network.latency,
      downloadThroughput: profile.network.down / 8,
      uploadThroughput: profile.network.up / 8,
    });
  }
  if (cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    requests += 1;
  });
  const start = Date.now();
  await tab.goto(base + page.path, { waitUntil: 'commit' });
  await tab.locator(page.heading).first().waitFor({ state: 'visible', timeout: 60_000 });
  const ms = Date.now() - start;
  await context.close();
  return { ms, bytes, requests };
}

for (const profile of profiles) {
  for (const page of pages) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await once(page, profile));
    results.sort((a, b) => a.ms - b.ms);
    const median = results[Math.floor(results.length / 2)];
    console.log(
      `${page.name.padEnd(8)} ${profile.name.padEnd(20)} cpu x${cpu}: first render ` +
        `${(median.ms / 1000).toFixed(2)} s, ${(median.bytes / 1024).toFixed(0)} KiB in ` +
        `${median.requests} requests`,
    );
  }
}
await browser.close();
