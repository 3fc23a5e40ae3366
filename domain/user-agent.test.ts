import { describe, expect, it } from "vitest";
import { deviceLabel } from "./user-agent";

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const EDGE_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const CHROME_IPAD =
  "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1";
const FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0";
const FIREFOX_IOS =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/133.0 Mobile/15E148 Safari/605.1.15";
const SAMSUNG =
  "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36";
const CHROME_ANDROID =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
const OPERA_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0";
const CHROMEBOOK = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
const HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";

describe("deviceLabel", () => {
  it.each([
    [CHROME_LINUX, "Chrome on Linux"],
    [EDGE_WINDOWS, "Edge on Windows"],
    [SAFARI_IPHONE, "Safari on iOS"],
    [CHROME_IPAD, "Chrome on iOS"],
    [FIREFOX_MAC, "Firefox on macOS"],
    [FIREFOX_IOS, "Firefox on iOS"],
    [SAMSUNG, "Samsung Internet on Android"],
    [CHROME_ANDROID, "Chrome on Android"],
    [OPERA_WINDOWS, "Opera on Windows"],
    [CHROMEBOOK, "Chrome on ChromeOS"],
    [SAFARI_MAC, "Safari on macOS"],
    [HEADLESS, "Chrome on Linux"],
    ["curl/8.5.0", "curl"],
    ["Mozilla/5.0 (X11; Linux x86_64)", "Linux"],
    ["storefront-cli/1.0", "Unknown device"],
    ["", "Unknown device"],
    [null, "Unknown device"],
    [undefined, "Unknown device"],
    // Names only count as whole words or at the start: a product called "xcurl/1" is not curl.
    ["xcurl/1.0", "Unknown device"],
    ["NotAndroidish WindowsPhoneish", "Unknown device"],
  ])("%s → %s", (ua, label) => expect(deviceLabel(ua)).toBe(label));
});
