// Little-endian, versionable byte streams for the core's file formats (fitted models, fit
// results). Readers check every length against the data, so truncated or corrupt input raises
// InvalidData naming the offset instead of reading past the end.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "mmm/errors.hpp"

namespace mmm {

class ByteWriter {
 public:
  std::vector<uint8_t> out;
  void u8(uint8_t v) { out.push_back(v); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void i32(int v) { u32(static_cast<uint32_t>(v)); }
  void f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    u64(b);
  }
  void f32(float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    u32(b);
  }
  void b(bool v) { u8(v ? 1 : 0); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  void vf(const std::vector<float>& v) {
    u64(v.size());
    for (float x : v) f32(x);
  }
  void vd(const std::vector<double>& v) {
    u64(v.size());
    for (double x : v) f64(x);
  }
  void vi(const std::vector<int>& v) {
    u64(v.size());
    for (int x : v) i32(x);
  }
  void vs(const std::vector<std::string>& v) {
    u64(v.size());
    for (const auto& s : v) str(s);
  }
};

class ByteReader {
 public:
  // `what` names the payload in error messages ("model bytes", "fit result", ...).
  explicit ByteReader(const std::vector<uint8_t>& d, std::string what = "model bytes") : d_(d), what_(std::move(what)) {}
  void need(size_t n) {
    if (pos_ + n > d_.size())
      throw InvalidData(what_ + " are truncated at offset " + std::to_string(pos_) + " (size " +
                        std::to_string(d_.size()) + ")");
  }
  uint8_t u8() {
    need(1);
    return d_[pos_++];
  }
  uint32_t u32() {
    need(4);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(d_[pos_++]) << (8 * i);
    return v;
  }
  uint64_t u64() {
    need(8);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(d_[pos_++]) << (8 * i);
    return v;
  }
  int i32() { return static_cast<int>(u32()); }
  double f64() {
    uint64_t b = u64();
    double v;
    std::memcpy(&v, &b, 8);
    return v;
  }
  float f32() {
    uint32_t b = u32();
    float v;
    std::memcpy(&v, &b, 4);
    return v;
  }
  bool b() { return u8() != 0; }
  size_t count(size_t elem) {
    uint64_t n = u64();
    if (elem > 0 && n > (d_.size() - pos_) / elem)
      throw InvalidData(what_ + " are corrupt: a length of " + std::to_string(n) + " at offset " +
                        std::to_string(pos_) + " exceeds the data");
    return static_cast<size_t>(n);
  }
  std::string str() {
    uint32_t n = u32();
    need(n);
    std::string s(d_.begin() + pos_, d_.begin() + pos_ + n);
    pos_ += n;
    return s;
  }
  std::vector<float> vf() {
    size_t n = count(4);
    std::vector<float> v(n);
    for (auto& x : v) x = f32();
    return v;
  }
  std::vector<double> vd() {
    size_t n = count(8);
    std::vector<double> v(n);
    for (auto& x : v) x = f64();
    return v;
  }
  std::vector<int> vi() {
    size_t n = count(4);
    std::vector<int> v(n);
    for (auto& x : v) x = i32();
    return v;
  }
  std::vector<std::string> vs() {
    size_t n = count(4);
    std::vector<std::string> v(n);
    for (auto& x : v) x = str();
    return v;
  }
  bool at_end() const { return pos_ == d_.size(); }

 private:
  const std::vector<uint8_t>& d_;
  std::string what_;
  size_t pos_ = 0;
};

}  // namespace mmm
