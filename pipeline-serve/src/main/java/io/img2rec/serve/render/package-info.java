/**
 * Annotated pictures of a recommendation: the chosen image titled "We recommend &lt;product&gt; products", and for a
 * single image the photo with its face boxes beside the crop that was scored.
 */
package io.img2rec.serve.render;
