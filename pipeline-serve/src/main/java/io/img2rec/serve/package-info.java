package io.img2rec.serve;
