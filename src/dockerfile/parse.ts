// Dockerfiles -> the images they name (imageSites.ts's walkDockerfile; pinning/pinnable.ts adds the pins): every FROM and every COPY --from=<image>, with the
// exact place of the image text, its ARG expansion, the --platform value and the stage.
// Pure text logic over dockerfile-ast; no `vscode` import. The pieces: imageSites.ts walks the
// instructions, words.ts and variables.ts expand the text as BuildKit does while remembering
// where each character was written, pinning/ decides where a digest may go.
//
// Choices where BuildKit does not decide (its frontend/dockerfile2llb decides the rest):
// - COPY --from names a stage when it matches any stage of the file, later ones too, or is a
//   number: BuildKit resolves those before it treats the rest as images. A FROM matches only
//   earlier stages (by name, case-insensitively, or by index), as BuildKit does.
// - Under the defaults an ARG without a value is unset: `$X` is unresolved (a --build-arg is
//   expected), `${X:-d}` is d, `${X:+alt}` is empty. The automatic platform ARGs are always
//   unresolved, and so is a name a stage never declared (its base image's ENV may set it).
// - `${X:-default}` with X unset takes the pin inside the default; `${X:+alt}` with X set
//   inside the alternative. Either way the pin only applies when that branch is taken.
// - A pin never goes into a stage's ARG or ENV (RUN sees them), nor into a global ARG that any
//   other FROM, --platform or stage redeclaration uses differently.
// - `FROM` without an image is an 'invalid' entry (an empty span after the instruction), so the
//   lens can say so; `RUN --mount=from=...` and ONBUILD instructions are not images of this build.

