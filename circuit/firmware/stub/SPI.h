// Syntax-check stand-in for the SPI library API.
#pragma once
#include <Arduino.h>
class SPIClass {
 public:
  void begin(void);
  uint8_t transfer(uint8_t data);
  void end(void);
};
extern SPIClass SPI;
