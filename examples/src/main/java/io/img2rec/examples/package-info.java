/**
 * Examples of img2rec used as a library, each a class with a {@code main} method. The README shows their code
 * verbatim ({@code .ci/check-readme-examples} checks it) and CI runs them against freshly installed artifacts.
 */
package io.img2rec.examples;
