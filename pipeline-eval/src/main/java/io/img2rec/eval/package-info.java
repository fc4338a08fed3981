package io.img2rec.eval;
