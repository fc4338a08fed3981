/**
 * Network definitions we own (VGG16, standard ResNet50, a tiny test CNN) as DL4J graph configurations,
 * plus the topology tools that find the head and the freeze boundary and split a graph into frozen trunk and trainable head,
 * and the host's layout for forward-only passes ({@code ForwardLayout}, {@code InferenceTrunk}).
 */
package io.img2rec.core.model;
