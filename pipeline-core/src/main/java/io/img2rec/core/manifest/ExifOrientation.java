package io.img2rec.core.manifest;

/**
 * Reads the EXIF orientation tag (0x0112) from the start of a JPEG file without decoding it.
 *
 * <p>Walks the JPEG marker segments up to the first start-of-scan, finds an APP1 segment that starts with
 * {@code "Exif\0\0"}, then reads IFD0 of the TIFF structure inside it in either byte order ("II" little-endian,
 * "MM" big-endian). Anything malformed or absent yields {@link #NORMAL}: orientation is a hint, never a reason to reject.
 */
public final class ExifOrientation {

    /** Orientation 1: stored as displayed. */
    public static final int NORMAL = 1;
    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;

    private ExifOrientation() {
    }

    /** Whether an orientation (1–8) means the displayed image is the stored one turned by 90° (width and height swap). */
    public static boolean swapsSides(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * @param jpeg the first bytes of a JPEG file (64 KiB is plenty: APP1 cannot be larger)
     * @return the orientation 1–8, or {@link #NORMAL} when absent or unreadable
     */
    public static int read(byte[] jpeg, int length) {
        int end = Math.min(length, jpeg.length);
        if (end < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            return NORMAL;
        }
        int pos = 2;
        while (pos + 4 <= end) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                return NORMAL;
            }
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan / end of image: no more metadata
                return NORMAL;
            }
            int segmentLength = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
            if (segmentLength < 2) {
                return NORMAL;
            }
            int dataStart = pos + 4;
            int dataEnd = Math.min(pos + 2 + segmentLength, end);
            if (marker == 0xE1 && dataEnd - dataStart >= 6 && isExifHeader(jpeg, dataStart)) {
                int found = readTiff(jpeg, dataStart + 6, dataEnd);
                if (found != 0) {
                    return found;
                }
            }
            pos += 2 + segmentLength;
        }
        return NORMAL;
    }

    private static boolean isExifHeader(byte[] b, int at) {
        return b[at] == 'E' && b[at + 1] == 'x' && b[at + 2] == 'i' && b[at + 3] == 'f' && b[at + 4] == 0 && b[at + 5] == 0;
    }

    /** @return the orientation found in IFD0, or 0 when none */
    private static int readTiff(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 0;
        }
        boolean little;
        if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            little = true;
        } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            little = false;
        } else {
            return 0;
        }
        if (u16(b, tiff + 2, little) != 42) {
            return 0;
        }
        long ifdOffset = u32(b, tiff + 4, little);
        if (ifdOffset < 8 || tiff + ifdOffset + 2 > end) {
            return 0;
        }
        int ifd = (int) (tiff + ifdOffset);
        int count = u16(b, ifd, little);
        for (int i = 0; i < count; i++) {
            int entry = ifd + 2 + 12 * i;
            if (entry + 12 > end) {
                return 0;
            }
            if (u16(b, entry, little) == TAG_ORIENTATION && u16(b, entry + 2, little) == TYPE_SHORT) {
                int value = u16(b, entry + 8, little); // a single SHORT sits left-justified in the value field
                return value >= 1 && value <= 8 ? value : 0;
            }
        }
        return 0;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int first = b[at] & 0xFF;
        int second = b[at + 1] & 0xFF;
        return little ? first | (second << 8) : (first << 8) | second;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            int byteIndex = little ? at + 3 - i : at + i;
            value = (value << 8) | (b[byteIndex] & 0xFF);
        }
        return value;
    }
}
