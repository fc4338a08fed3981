// Prints the face boxes dlib's HOG frontal-face detector finds, in the form the Python package face_recognition
// reports them (model="hog", number_of_times_to_upsample=1), so that Haar boxes can be calibrated against them.
//
// Output: one line per face, tab-separated: image, top, right, bottom, left. An image without a face gives one line
// "image\tnone"; an unreadable image "image\terror\t<message>" (exit code 1 at the end).
//
// What face_recognition does, and this tool repeats:
//  * the detector runs on the RGB image upsampled once (dlib's pyramid_up), and each rectangle is mapped back to the
//    original image (pyramid_down<2>::rect_down), with the default threshold adjustment 0;
//  * the rectangle is reported as (top, right, bottom, left) straight from dlib's rectangle, whose right and bottom
//    are inclusive pixel indices: face_recognition does not add one, and the original crop geometry used h = bottom
//    - top on those numbers, so neither do we;
//  * the box is trimmed to the image: top and left at least 0, right at most the width, bottom at most the height.
//
// Build (Debian: apt-get install libdlib-dev; its libdlib has PNG and JPEG loading compiled in):
//   g++ -O2 -std=c++17 -o dlib-boxes tools/dlib-boxes/dlib_boxes.cpp $(pkg-config --cflags --libs dlib-1)
#include <dlib/image_io.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct CssBox {
    long top;
    long right;
    long bottom;
    long left;
};

std::vector<CssBox> detectLikeFaceRecognition(dlib::frontal_face_detector& detector,
                                              const dlib::array2d<dlib::rgb_pixel>& image) {
    dlib::pyramid_down<2> pyramid;
    dlib::array2d<dlib::rgb_pixel> upsampled;
    dlib::pyramid_up(image, upsampled, pyramid);
    std::vector<dlib::rectangle> found = detector(upsampled, 0.0);

    std::vector<CssBox> boxes;
    const long width = image.nc();
    const long height = image.nr();
    for (const dlib::rectangle& r : found) {
        dlib::rectangle back = pyramid.rect_down(r, 1);
        boxes.push_back({std::max(back.top(), 0L), std::min(back.right(), width), std::min(back.bottom(), height),
                         std::max(back.left(), 0L)});
    }
    std::sort(boxes.begin(), boxes.end(), [](const CssBox& a, const CssBox& b) {
        return a.top != b.top ? a.top < b.top : a.left < b.left;
    });
    return boxes;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: dlib-boxes IMAGE...\n";
        return 2;
    }
    dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string path = argv[i];
        dlib::array2d<dlib::rgb_pixel> image;
        try {
            dlib::load_image(image, path);
        } catch (const std::exception& e) {
            std::cout << path << "\terror\t" << e.what() << "\n";
            status = 1;
            continue;
        }
        std::vector<CssBox> boxes = detectLikeFaceRecognition(detector, image);
        if (boxes.empty()) {
            std::cout << path << "\tnone\n";
        }
        for (const CssBox& b : boxes) {
            std::cout << path << "\t" << b.top << "\t" << b.right << "\t" << b.bottom << "\t" << b.left << "\n";
        }
    }
    return status;
}
