package io.img2rec.train;
