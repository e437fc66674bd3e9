import puppeteer from 'puppeteer-core';
import path from 'node:path';
const UUID = '0b9a1c5e-7d1f-4e0a-9a51-5f3c2d7e8a10';
const browser = await puppeteer.launch({
  browser: 'firefox', executablePath: '/usr/lib/firefox-esr/firefox-esr', headless: true,
  extraPrefsFirefox: { 'extensions.originControls.grantByDefault': true,
   'extensions.webextensions.uuids': JSON.stringify({ 'afp-porter@porter.dev': UUID }) },
});
await browser.installExtension(path.resolve('.output/firefox-mv3'));
const page = (await browser.pages())[0];
try { await page.goto(`moz-extension://${UUID}/viewer.html`); console.log('goto ok', page.url(), await page.title()); } catch (e) { console.log('goto err', e.message.slice(0,200)); }
try { await page.evaluate((u) => { location.href = u; }, `moz-extension://${UUID}/viewer.html`); await new Promise(r=>setTimeout(r,1500)); console.log('loc', page.url()); } catch (e) { console.log('loc err', e.message.slice(0,200)); }
const p2 = await browser.newPage();
try { await p2.goto(`moz-extension://${UUID}/popup.html`, {waitUntil:'domcontentloaded'}); console.log('p2', p2.url()); } catch(e) { console.log('p2 err', e.message.slice(0,200)); }
for (const p of await browser.pages()) console.log('page', p.url());
await browser.close();
