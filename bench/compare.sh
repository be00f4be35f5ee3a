#!/usr/bin/env bash
# The search engine side by side with Lucene (issue 24): one corpus and one query list with a fixed seed; Lucene 8.7 in
# Java (Debian's liblucene8-java, bench/compare/LuceneBench.java), Lucene.Net 4.8 (both with CJK bigrams) and the
# portal's engine, each built and queried in fresh processes, in interleaved rounds. Prints the table and one line of JSON.
#   bench/compare.sh [entries=1000000] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
ENTRIES="${1:-1000000}"
ROUNDS="${2:-3}"
if ! ls /usr/share/java/lucene-core-8*.jar >/dev/null 2>&1 || ! command -v javac >/dev/null; then
  echo "installing Lucene 8 for Java and a JDK (apt-get) ..."
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y -q liblucene8-java default-jdk-headless >/dev/null
fi
CP="$(ls /usr/share/java/lucene-core-8*.jar | head -1):$(ls /usr/share/java/lucene-analyzers-common-8*.jar | head -1)"
dotnet build Portal.Web -c Release -v q -nologo >/dev/null
dotnet Portal.Web/bin/Release/net10.0/Portal.Web.dll bench compare --entries "$ENTRIES" --rounds "$ROUNDS" --java-classpath "$CP"
