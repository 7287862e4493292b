package dev.batchscope.cli.report;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads a chart back and says what is drawn on it. */
public final class Png {
    private final Path file;
    private final BufferedImage image;

    private Png(Path file, BufferedImage image) {
        this.file = file;
        this.image = image;
    }

    /** Decodes the file; fails the test when it is not a PNG image. */
    public static Png read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " does not decode as an image");
        return new Png(file, image);
    }

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }

    /** Share of the pixels that are not the white background. */
    public double inkShare() {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    ink++;
                }
            }
        }
        return (double) ink / ((long) image.getWidth() * image.getHeight());
    }

    /** Pixels within a small distance of {@code colour}: a line or marker drawn in it leaves many. */
    public int pixelsOf(Color colour) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                int d = Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen())
                        + Math.abs(c.getBlue() - colour.getBlue());
                if (d <= 30) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Pixels in a colour (not white, grey or black): data, since axes, grid lines and text are grey. */
    public int colouredPixels() {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                Color c = new Color(image.getRGB(x, y));
                int max = Math.max(c.getRed(), Math.max(c.getGreen(), c.getBlue()));
                int min = Math.min(c.getRed(), Math.min(c.getGreen(), c.getBlue()));
                if (max - min > 60) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Not blank: something is drawn beyond the background, and data is drawn: more coloured pixels than a legend's
     * swatches alone would leave.
     */
    public void assertNotBlank() {
        double ink = inkShare();
        assertTrue(ink > 0.02, file.getFileName() + " is nearly blank: " + ink + " of its pixels are drawn");
        int coloured = colouredPixels();
        assertTrue(coloured > 1500, file.getFileName() + " shows no data: " + coloured + " coloured pixels");
    }
}
