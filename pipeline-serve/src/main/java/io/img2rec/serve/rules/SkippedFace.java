package io.img2rec.serve.rules;

import io.img2rec.serve.face.FaceBox;

/** A detected face that was not scored, and why (e.g. too small). */
public record SkippedFace(FaceBox detected, String reason) {
}
