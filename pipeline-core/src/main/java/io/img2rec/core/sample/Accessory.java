package io.img2rec.core.sample;

/** The labels a generated portrait can carry; each is written to the folder of the same name. */
public enum Accessory {
    HAT("hat"),
    BEARD("beard"),
    EYEWEAR("eyewear");

    private final String folderName;

    Accessory(String folderName) {
        this.folderName = folderName;
    }

    /** The label folder, e.g. {@code hat}, under the dataset root. */
    public String folderName() {
        return folderName;
    }
}
