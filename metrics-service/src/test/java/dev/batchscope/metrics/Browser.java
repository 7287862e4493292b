package dev.batchscope.metrics;

import dev.batchscope.testing.machine.MachineRequirements;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's headless Chromium driven through its chromedriver, both named explicitly so Selenium Manager never tries
 * to download a browser: found on the PATH (or given as -Dbatchscope.tool.chromium / .chromedriver), else the test
 * fails with setup/preflight's message naming the packages. A fresh profile directory per start.
 */
final class Browser {
    private Browser() {
    }

    static ChromeDriver start() throws IOException {
        String chromium = MachineRequirements.command("chromium").toString();
        String chromedriver = MachineRequirements.command("chromedriver").toString();
        Path profile = Files.createTempDirectory("batchscope-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1500", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }
}
