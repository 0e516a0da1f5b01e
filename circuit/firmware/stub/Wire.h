// Syntax-check stand-in for the Wire (I2C) library API.
#pragma once
#include <Arduino.h>
class TwoWire : public Stream {
 public:
  bool begin(void);
  void beginTransmission(uint8_t address);
  uint8_t endTransmission(bool sendStop = true);
  uint8_t requestFrom(uint8_t address, uint8_t quantity);
  size_t write(uint8_t data);
  size_t write(const uint8_t *data, size_t quantity);
};
extern TwoWire Wire;
