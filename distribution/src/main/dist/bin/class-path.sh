# Sourced, not run. llmhub_class_path HOME: prints the class path of the distribution at HOME, every jar
# of lib/ in byte order. Listed rather than lib/* (whose order is the directory's), because the AOT cache
# is only valid for the very class path it was trained with (distribution/src/main/aot/train.sh uses this
# function too).
llmhub_class_path() {
  local LC_ALL=C jars
  jars=("$1"/lib/*.jar)
  local IFS=:
  printf '%s\n' "${jars[*]}"
}
