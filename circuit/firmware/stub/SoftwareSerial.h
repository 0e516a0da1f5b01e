// Syntax-check stand-in for the SoftwareSerial library API (ESP8266 and ATtiny cores ship one).
#pragma once
#include <Arduino.h>
class SoftwareSerial : public Stream {
 public:
  SoftwareSerial(uint8_t receivePin, uint8_t transmitPin, bool inverse_logic = false);
  void begin(long speed);
};
