import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the labelled face-detection photos of pipeline-serve's tests from the Debian packages they come from
 * (see the test resources' photos/SOURCES.md): each photo is scaled down (area averaging) so that its longer side is
 * at most 512 px and written as JPEG quality 0.88. Run with the packages' files extracted under a folder:
 *
 *   apt-get download python3-skimage python-matplotlib-data python3-scipy
 *   for f in *.deb; do dpkg -x "$f" EXTRACTED_ROOT; done
 *   java tools/face-set/PreparePhotos.java EXTRACTED_ROOT OUT_DIR
 *
 * With Debian 12's python3-skimage 0.19.3-8, python-matplotlib-data 3.6.3-1 and python3-scipy 1.10.1-2 and OpenJDK
 * 17 this gives the committed files byte for byte (checked 2026-12-03).
 *
 * scipy's raccoon (scipy/misc/face.dat, bz2 of raw 768×1024 RGB) must first be decompressed to raccoon.rgb in OUT_DIR
 * (python3 -c "import bz2,sys; sys.stdout.buffer.write(bz2.decompress(open(sys.argv[1],'rb').read()))" face.dat).
 */
public class PreparePhotos {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        String sk = "usr/lib/python3/dist-packages/skimage/data/";
        String[][] photos = {
                {sk + "astronaut.png", "astronaut.jpg"},
                {"usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg", "grace_hopper.jpg"},
                {sk + "camera.png", "camera.jpg"},
                {sk + "chelsea.png", "chelsea.jpg"},
                {sk + "coffee.png", "coffee.jpg"},
                {sk + "brick.png", "brick.jpg"},
                {sk + "grass.png", "grass.jpg"},
                {sk + "gravel.png", "gravel.jpg"},
                {sk + "rocket.jpg", "rocket.jpg"},
                {sk + "hubble_deep_field.jpg", "hubble_deep_field.jpg"},
        };
        for (String[] p : photos) {
            write(ImageIO.read(root.resolve(p[0]).toFile()), out.resolve(p[1]));
        }
        Path raw = out.resolve("raccoon.rgb");
        if (Files.exists(raw)) {
            byte[] b = Files.readAllBytes(raw);
            BufferedImage img = new BufferedImage(1024, 768, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 768; y++) {
                for (int x = 0; x < 1024; x++) {
                    int i = (y * 1024 + x) * 3;
                    img.setRGB(x, y, (b[i] & 255) << 16 | (b[i + 1] & 255) << 8 | (b[i + 2] & 255));
                }
            }
            write(img, out.resolve("raccoon.jpg"));
            Files.delete(raw);
        }
    }

    static void write(BufferedImage src, Path target) throws Exception {
        int w = src.getWidth();
        int h = src.getHeight();
        double f = Math.min(1.0, 512.0 / Math.max(w, h));
        int nw = (int) Math.round(w * f);
        int nh = (int) Math.round(h * f);
        BufferedImage dst = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.drawImage(f == 1.0 ? src : src.getScaledInstance(nw, nh, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.88f);
        Files.deleteIfExists(target);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(new File(target.toString()))) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(dst, null, null), param);
        }
        writer.dispose();
        System.out.println(target + " " + nw + "x" + nh + " (from " + w + "x" + h + ")");
    }
}
