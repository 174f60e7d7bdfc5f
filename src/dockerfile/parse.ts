// Dockerfiles -> the images they name (imageSites.ts's walkDockerfile; pinning/pinnable.ts adds the pins): every FROM and every COPY --from=<image>, with the
// exact place of the image text, its ARG expansion, the --platform value and the stage.
// Pure text logic over dockerfile-ast; no `vscode` import. The pieces: imageSites.ts walks the
// instructions, words.ts, variables.ts, substitute.ts and globs.ts expand the text as BuildKit
// does while remembering where each character was written, pinning/ decides where a digest may go.
//
// Choices where BuildKit does not decide (its frontend/dockerfile2llb decides the rest):
// - COPY --from names a stage when it matches any stage of the file, later ones too, or is a
//   number: BuildKit resolves those before it treats the rest as images. A FROM matches only
//   earlier stages (by name, case-insensitively, or by index), as BuildKit does.
// - COPY --from is never expanded: BuildKit refuses any value its lexer would change
//   ("variable expansion is not supported for --from"), so that site is 'invalid' and says so.
// - Under the defaults an ARG without a value is unset: `$X` is unresolved (a --build-arg is
//   expected), `${X:-d}` is d, `${X:+alt}` is empty. The automatic platform ARGs are always
//   unresolved.
// - `${X:-default}` with X unset takes the pin inside the default; `${X:+alt}` with X set
//   inside the alternative. Either way the pin only applies when that branch is taken.
// - A pin never goes into a global ARG that any other FROM, --platform or stage redeclaration
//   uses differently (a stage's `ARG X` makes RUN see the digest).
// - `FROM` without an image is an 'invalid' entry (an empty span after the instruction), so the
//   lens can say so; `RUN --mount=from=...` and ONBUILD instructions are not images of this build.

