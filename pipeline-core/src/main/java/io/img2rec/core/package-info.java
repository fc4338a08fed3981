package io.img2rec.core;
