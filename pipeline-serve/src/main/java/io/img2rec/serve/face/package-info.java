/**
 * Faces: the {@link io.img2rec.serve.face.FaceDetector} interface and its OpenCV Haar-cascade implementation with a
 * second cascade confirming each face, the box calibration towards dlib-HOG-like boxes, and the original project's
 * crop geometry as a pure function.
 */
package io.img2rec.serve.face;
