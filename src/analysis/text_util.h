// Small text helpers shared by the analysis writers: number formats, CSV / XML escaping, atomic
// files.
#pragma once

#include <string>
#include <string_view>

#include "core/dataset_writer.h"  // WriteFileAtomic
#include "core/status.h"

namespace juicer {

// Python's repr(float): shortest round-trip digits, ".0" on integral values, exponent form when the
// decimal exponent is < -4 or >= 16 ("1e-05", "1e+16"), "nan", "inf", "-inf".
std::string PyFloatRepr(double x);

// Like pandas' to_csv for a float cell: PyFloatRepr, but NaN is the empty string.
std::string CsvNumber(double x);

// One CSV field: quoted (with doubled quotes) when it holds a comma, quote, CR or LF.
std::string CsvField(std::string_view s);

// A number for people: integral values without decimals, |x| >= 1 with at most 4 decimals, smaller
// values with 4 significant digits; "NaN", "inf", "-inf".
std::string HumanNumber(double x);

// Text safe inside XML / HTML content and attribute values: &, <, >, " and ' escaped, characters
// XML forbids (C0 controls but tab / LF / CR) dropped, invalid UTF-8 replaced by U+FFFD.
std::string XmlEscape(std::string_view s);

// Valid UTF-8 of s (invalid bytes -> U+FFFD) cut to at most max_chars code points ("…" appended
// when cut).
std::string Ellipsize(std::string_view s, size_t max_chars);

// Display width of s in units of one average Latin character (East Asian wide characters count 2).
double TextWidthUnits(std::string_view s);

}  // namespace juicer
