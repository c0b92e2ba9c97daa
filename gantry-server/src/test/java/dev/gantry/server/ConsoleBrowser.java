package dev.gantry.server;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real Chromium driven by Playwright: Debian's {@code /usr/bin/chromium} (or
 * {@code GANTRY_TEST_CHROMIUM}), since Playwright cannot download its own browsers here. Pages
 * are screenshotted into {@code target/console-screenshots} as the test's artifacts.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final Playwright playwright;
    private final Browser browser;

    private ConsoleBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static ConsoleBrowser launch() {
        Path chromium = Path.of(System.getenv().getOrDefault("GANTRY_TEST_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException("No Chromium at " + chromium + ": install Debian's chromium (.ci/run does)");
        }
        var playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            return new ConsoleBrowser(playwright, playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(chromium).setHeadless(true)));
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A fresh browser profile: its own cookies, as a second person at another laptop. */
    Page newPage() { return newPage(1280, 900); }

    /** The same on a phone-sized screen. */
    Page newPhonePage() { return newPage(390, 844); }

    private Page newPage(int width, int height) {
        Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)).newPage();
        page.setDefaultTimeout(15_000);
        page.onDialog(dialog -> dialog.accept()); // the console asks before revoking
        return page;
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** Form fields a screen reader cannot name: neither a label nor an aria-label. */
    static int unlabelledFields(Page page) {
        return ((Number) page.evaluate("() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
                + ".filter(f => f.labels.length === 0 && !f.getAttribute('aria-label')).length")).intValue();
    }

    /**
     * Empty when the page fits the screen's width; else the elements that stick out of its right
     * edge, for a phone would scroll the whole page sideways. Wide tables scroll in their own box.
     */
    static String overflowingElements(Page page) {
        return (String) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1 ? ''"
                + " : [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".map(e => e.tagName + '.' + e.className).join(', ')");
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
