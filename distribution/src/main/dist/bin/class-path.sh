# Sourced, not run. llmhub_class_path HOME: sets llmhub_cp to the class path of the distribution at HOME,
# every jar of lib/ in byte order. Listed rather than lib/* (whose order is the directory's), because the
# AOT cache is only valid for the very class path it was trained with (distribution/src/main/aot/train.sh
# uses this function too). A variable, not printed: bin/llmhub calls it without a fork.
llmhub_class_path() {
  local LC_ALL=C jars
  jars=("$1"/lib/*.jar)
  local IFS=:
  llmhub_cp="${jars[*]}"
}
