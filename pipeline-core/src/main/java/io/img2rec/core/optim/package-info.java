/** Optimisers DL4J lacks: classical (heavy-ball) momentum SGD as Keras's {@code SGD(momentum=…)}. */
package io.img2rec.core.optim;
